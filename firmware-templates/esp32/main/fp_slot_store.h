/*
 * A/B model slots on flash (partitions model_a, model_b) plus the factory model compiled
 * into the app, and the active-slot marker in NVS. The marker is the commit point: it is
 * written (and nvs_commit'ed) only after the slot's bytes are complete and verified, so a
 * power cut leaves either the old or the new model active, never half of one.
 */
#ifndef FP_SLOT_STORE_H_
#define FP_SLOT_STORE_H_

#include <stddef.h>
#include <stdint.h>

#include "fp_assembler.h"
#include "fp_limits.h"

typedef enum fp_slot { FP_SLOT_FACTORY = 0, FP_SLOT_A = 1, FP_SLOT_B = 2 } fp_slot;

typedef struct fp_slot_info {
  char artifact_id[FP_MAX_ID_BYTES + 1];
  char model_version[FP_MAX_VERSION_BYTES + 1];
  uint32_t size;
  int verified;
} fp_slot_info;

/* Opens NVS and the partitions; 0 when a partition is missing (wrong partition table). */
int fp_slots_init(void);
fp_slot fp_slots_active(void);
fp_slot fp_slots_previous(void);
/* The slot downloads go to: never the active one. */
fp_slot fp_slots_inactive(void);
const fp_slot_info *fp_slots_info(fp_slot slot);
/* Storage of the inactive slot for the assembler; *capacity its size in bytes. */
fp_slot_sink fp_slots_inactive_sink(uint32_t *capacity);
/* Records the inactive slot's contents as verified and makes it active (NVS commit). */
fp_status fp_slots_activate_inactive(const char *artifact_id, const char *model_version, uint32_t size);
/* Makes the previous slot active again (rollback); 0 if it holds no verified model. */
int fp_slots_revert(void);
/* Maps a slot's model for reading (factory: the compiled-in array). */
const uint8_t *fp_slots_map(fp_slot slot, size_t *len);
/* The resume state of an interrupted download (device rule 7). */
void fp_slots_save_prefix(uint32_t session, const char *sha256, uint32_t prefix);
uint32_t fp_slots_load_prefix(uint32_t session, const char *sha256);

#endif /* FP_SLOT_STORE_H_ */
