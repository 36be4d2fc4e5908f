#include "fp_offer.h"

#include <string.h>

const char *const fp_signature_algorithms[] = {"ecdsa-p256-sha256", NULL};

int fp_offer_is_withdrawal(size_t len) { return len == 0; }

static int read_ops(fp_fields *f, fp_offer *o) {
  fp_json_value ops, item;
  uint32_t n = 0;
  if (f->error->code != FP_OK) return 0;
  ops = fp_json_get(&f->object, "ops");
  if (ops.type != FP_JSON_ARRAY) return fp_fields_fail(f, FP_ERR_INVALID_MESSAGE, "ops");
  item.type = FP_JSON_MISSING;
  while (fp_json_next_item(&ops, &item)) {
    if (n >= FP_MAX_OPS) return fp_fields_fail(f, FP_ERR_INVALID_MESSAGE, "ops");
    n++;
  }
  /* Count first: libs/protocol refuses a too-long array before looking at its items. */
  n = 0;
  item.type = FP_JSON_MISSING;
  while (fp_json_next_item(&ops, &item)) {
    if (!fp_json_string_rule(&item, FP_RULE_OP, o->ops[n], sizeof o->ops[n]))
      return fp_fields_fail(f, FP_ERR_INVALID_MESSAGE, "ops");
    n++;
  }
  o->op_count = n;
  return 1;
}

fp_status fp_offer_parse(const uint8_t *payload, size_t len, fp_offer *o, fp_parse_error *error) {
  fp_fields f;
  double size = 0;
  memset(o, 0, sizeof *o);
  if (!fp_fields_open(&f, payload, len, FP_MAX_JSON_PAYLOAD, error)) return error->code;
  /* Field order is libs/protocol's, so both report the same first bad field. */
  if (fp_fields_integer(&f, "size", 1, FP_U32_MAX, &size) && size > FP_MAX_MODEL_SIZE)
    fp_fields_fail(&f, FP_ERR_TOO_LARGE, "size");
  o->size = (uint32_t)size;
  fp_fields_string(&f, "deploymentId", FP_RULE_ID, o->deployment_id, sizeof o->deployment_id);
  fp_fields_u32(&f, "session", 1, FP_U32_MAX, &o->session);
  fp_fields_string(&f, "artifactId", FP_RULE_ID, o->artifact_id, sizeof o->artifact_id);
  fp_fields_string(&f, "modelVersion", FP_RULE_VERSION, o->model_version, sizeof o->model_version);
  fp_fields_string(&f, "sha256", FP_RULE_SHA256, o->sha256, sizeof o->sha256);
  fp_fields_string(&f, "signature", FP_RULE_SIGNATURE, o->signature, sizeof o->signature);
  fp_fields_one_of(&f, "signatureAlg", fp_signature_algorithms, &o->signature_alg);
  fp_fields_u32(&f, "chunkSize", FP_MIN_CHUNK_SIZE, FP_MAX_CHUNK_SIZE, &o->chunk_size);
  fp_fields_u32(&f, "arenaBytes", 0, FP_U32_MAX, &o->arena_bytes);
  read_ops(&f, o);
  return error->code;
}
