import { estimateArena, Interpreter, readModel, TensorInfo, TfliteModel } from '@fleetprune/tflite';

/** A parsed model shared by every agent that runs the same bytes. */
export interface CachedModel {
  sha256: string;
  model: TfliteModel;
  /** Estimated tensor arena with 4-byte (MCU) and 8-byte (64-bit host) pointers. */
  arenaBytes: { 4: number; 8: number };
  /** The first input and output tensor, as an allocated interpreter describes them. */
  input: TensorInfo;
  output: TensorInfo;
}

/** Options of ModelCache. */
export interface ModelCacheOptions {
  /** Parsed models kept (least recently used dropped first); default 16. */
  maxEntries: number;
}

/**
 * Work that is the same on every simulated device for the same artifact, done once: parsed
 * models keyed by SHA-256 (1,000 agents activating the same artifact parse it once), self-test
 * outcomes and signature checks.
 * The key is trusted: callers look a model up only after checking the bytes' SHA-256 (and
 * signature) themselves, which every agent still does on its own copy.
 */
export class ModelCache {
  private readonly entries = new Map<string, CachedModel>();
  private readonly maxEntries: number;
  private readonly selfTests = new Map<string, { error?: unknown }>();
  private readonly signatures = new Map<string, boolean>();
  hits = 0;
  misses = 0;

  constructor(options: Partial<ModelCacheOptions> = {}) {
    this.maxEntries = Math.max(1, options.maxEntries ?? 16);
  }

  /** The parsed model for bytes whose SHA-256 the caller verified; parses on a miss (may throw TfliteError). */
  get(sha256: string, bytes: Uint8Array): CachedModel {
    const found = this.entries.get(sha256);
    if (found) {
      this.hits++;
      this.entries.delete(sha256);
      this.entries.set(sha256, found); // most recently used last
      return found;
    }
    this.misses++;
    const model = readModel(bytes);
    // Allocating once here checks that every operator prepares; agents build their own
    // interpreters only when they first run the model.
    const probe = new Interpreter(model).allocate();
    const entry: CachedModel = {
      sha256,
      model,
      input: probe.inputInfo(0),
      output: probe.outputInfo(0),
      arenaBytes: {
        4: estimateArena(model, { pointerBytes: 4 }).total,
        8: estimateArena(model, { pointerBytes: 8 }).total,
      },
    };
    this.remember(this.entries, sha256, entry);
    return entry;
  }

  /**
   * Runs `test` once per model and replays its outcome (or its error) for every other agent:
   * the reference interpreter is deterministic, so the same bytes on the same self-test input
   * give the same result on every simulated device, and a fleet of 1,000 does not spend
   * 1,000 inferences of this process's CPU on what real devices do in parallel.
   */
  selfTest(sha256: string, test: () => void): void {
    let outcome = this.selfTests.get(sha256);
    if (!outcome) {
      outcome = {};
      try {
        test();
      } catch (error) {
        outcome.error = error;
      }
      this.remember(this.selfTests, sha256, outcome);
    }
    if (outcome.error !== undefined) throw outcome.error;
  }

  /**
   * Whether `signature` of the artifact whose SHA-256 is `sha256` verifies under `publicKeyPem`,
   * computed by `verify` once per (digest, signature, key) and replayed for the other agents.
   * ECDSA over SHA-256(bytes) depends on the bytes only through that digest, and every agent
   * hashes its own copy and checks it against `sha256` before asking, so the outcome is the
   * one each device would compute. A throwing `verify` (unreadable key) is not remembered.
   */
  signatureValid(sha256: string, signature: string, publicKeyPem: string, verify: () => boolean): boolean {
    const key = `${sha256}\0${signature}\0${publicKeyPem}`;
    let valid = this.signatures.get(key);
    if (valid === undefined) {
      valid = verify();
      this.remember(this.signatures, key, valid);
    }
    return valid;
  }

  /** Adds to one of the maps, dropping its oldest entry past maxEntries. */
  private remember<V>(map: Map<string, V>, key: string, value: V): void {
    map.set(key, value);
    if (map.size > this.maxEntries) map.delete(map.keys().next().value as string);
  }

  get size(): number {
    return this.entries.size;
  }
}
