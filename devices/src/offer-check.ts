import {
  isSignatureAlgorithm,
  MAX_JSON_PAYLOAD,
  OtaFailureReason,
  OtaOffer,
  otaOfferCodec,
  parseOtaOffer,
  SIGNATURE_ALGORITHMS,
} from '@fleetprune/protocol';
import { DeviceProfileSpec } from '@fleetprune/tflite';
import { DevicePersonality } from './personality';

/** Why an offer cannot be taken, before any byte is downloaded. */
export interface Refusal {
  reason: OtaFailureReason;
  detail: string;
}

/** What a device can hold, as the refusal check sees it. */
export interface DeviceCapacity {
  profile: DeviceProfileSpec;
  personality: DevicePersonality;
  /** Bytes one model slot holds (default: the profile's flashBytes). */
  slotBytes: number;
}

/**
 * docs/protocol.md rule 2, "check before download": size against the slot, arena against the
 * RAM, ops against the runtime, signature algorithm against what the device verifies, and
 * the chunk size against its receive buffer. Undefined when the offer fits.
 */
export function checkOffer(
  offer: OtaOffer,
  device: DeviceCapacity,
  unknownAlgorithm?: string,
): Refusal | undefined {
  const { profile, personality, slotBytes } = device;
  if (unknownAlgorithm !== undefined)
    return { reason: 'UNSUPPORTED_ALGORITHM', detail: `cannot verify signatures of ${unknownAlgorithm}` };
  if (offer.size > slotBytes)
    return { reason: 'TOO_LARGE', detail: `model is ${offer.size} bytes, the slot holds ${slotBytes}` };
  if (offer.chunkSize > personality.maxChunkSize)
    return {
      reason: 'TOO_LARGE',
      detail: `chunkSize ${offer.chunkSize} exceeds the ${personality.maxChunkSize}-byte receive buffer`,
    };
  if (offer.arenaBytes > profile.ramBytes)
    return {
      reason: 'ARENA_TOO_SMALL',
      detail: `model needs a ${offer.arenaBytes}-byte arena, ${profile.name} has ${profile.ramBytes}`,
    };
  const missing = offer.ops.filter((op) => !profile.supportedOps.includes(op));
  if (missing.length > 0)
    return { reason: 'UNSUPPORTED_OPS', detail: truncate(`runtime lacks ${missing.join(', ')}`) };
  return undefined;
}

/** Result details are at most 256 bytes (TEXT_RULE). */
export function truncate(text: string, max = 256): string {
  // eslint-disable-next-line no-control-regex -- details must not carry control characters
  const clean = text.replace(/[\u0000-\u001f]/g, ' ');
  let out = clean;
  while (Buffer.byteLength(out) > max) out = out.slice(0, -1);
  return out;
}

/**
 * Parses an offer. An otherwise valid offer naming a signature algorithm this protocol
 * version does not know is returned with `unknownAlgorithm` set, so the device can answer
 * `refused`/UNSUPPORTED_ALGORITHM instead of dropping it as malformed.
 */
export function readOffer(payload: Uint8Array): { offer: OtaOffer; unknownAlgorithm?: string } {
  try {
    return { offer: parseOtaOffer(payload) };
  } catch (error) {
    let value: unknown;
    try {
      value = JSON.parse(Buffer.from(payload).toString('utf8'));
    } catch {
      throw error;
    }
    const alg = (value as { signatureAlg?: unknown } | null)?.signatureAlg;
    if (typeof alg !== 'string' || isSignatureAlgorithm(alg) || payload.length > MAX_JSON_PAYLOAD)
      throw error;
    const offer = otaOfferCodec.validate({ ...(value as object), signatureAlg: SIGNATURE_ALGORITHMS[0] });
    return { offer, unknownAlgorithm: truncate(alg, 64) };
  }
}
