import { StringRule } from '../field-reader';

/** Ids of deployments, artifacts, commands: one token, safe in file names, logs and C buffers. */
export const ID_RULE: StringRule = {
  max: 64,
  pattern: /^[A-Za-z0-9][A-Za-z0-9._:-]*$/,
  hint: 'an id of A-Z a-z 0-9 . _ : - starting with a letter or digit',
};
/** Model versions as operators write them (e.g. `fmnist-3.2`): printable ASCII, no spaces. */
export const VERSION_RULE: StringRule = {
  max: 64,
  pattern: /^[\x21-\x7e]+$/,
  hint: 'printable ASCII without spaces',
};
/** Profile and firmware names on the status message. */
export const NAME_RULE: StringRule = { max: 64, pattern: /^[\x20-\x7e]+$/, hint: 'printable ASCII' };
export const SHA256_RULE: StringRule = {
  min: 64,
  max: 64,
  pattern: /^[0-9a-f]{64}$/,
  hint: '64 lowercase hex characters',
};
/** Standard base64 with padding (RFC 4648 section 4), as Buffer.toString('base64') writes it. */
export const BASE64_PATTERN = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
export const SIGNATURE_RULE: StringRule = { max: 256, pattern: BASE64_PATTERN, hint: 'padded base64' };
/** TFLite builtin operator names as the schema spells them, e.g. `FULLY_CONNECTED`. */
export const OP_RULE: StringRule = {
  max: 40, // the longest builtin name today has 30 characters
  pattern: /^[A-Z][A-Z0-9_]*$/,
  hint: 'an upper-case operator name',
};
/** Free text for humans (failure details); bounded so firmware can use a fixed buffer. */
export const TEXT_RULE: StringRule = {
  max: 256,
  // eslint-disable-next-line no-control-regex -- refusing control characters is the point
  pattern: /^[^\u0000-\u001f]*$/,
  hint: 'text without control characters',
};
/** Milliseconds since the Unix epoch (0 allowed for devices without a clock yet). */
export const EPOCH_MS_MAX = 8.64e15;
