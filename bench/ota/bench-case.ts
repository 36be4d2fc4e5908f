// One row of the OTA benchmark: the floor and the system, for one broker and one fleet size.
import { PERSONALITIES } from '@fleetprune/devices';
import type { BrokerName } from './bench-args';
import { FloorCaseResult, floorCase, startBroker } from './floor-case';
import { passSucceeded, runSystem, SystemResult } from './system-run';

export interface OtaBenchRow {
  broker: BrokerName;
  devices: number;
  chunkSize: number;
  modelBytes: number;
  floor?: FloorCaseResult;
  system?: SystemResult;
  /** Why the row is incomplete. */
  error?: string;
}

export interface CaseOptions {
  broker: BrokerName;
  devices: number;
  /** A warm-up model and the measured ones, all of one size (see SystemRunOptions.models). */
  models: Uint8Array[];
  chunkSize: number;
  capMs: number;
  stateRoot: string;
  cpuProfileDir?: string;
  skipFloor?: boolean;
  log: (line: string) => void;
}

/** The devices' request window: the floor clients keep the same number of chunks in flight. */
export const DEVICE_WINDOW = PERSONALITIES.esp32.window;

/** Floor then system; an exception in either is recorded in the row, not thrown. */
export async function runCase(o: CaseOptions): Promise<OtaBenchRow> {
  const row: OtaBenchRow = {
    broker: o.broker,
    devices: o.devices,
    chunkSize: o.chunkSize,
    modelBytes: o.models[0].length,
  };
  try {
    if (!o.skipFloor) {
      const floor = await floorCase({
        broker: o.broker,
        clients: o.devices,
        bytes: Buffer.from(o.models[0]),
        chunkSize: o.chunkSize,
        window: DEVICE_WINDOW,
        timeoutMs: o.capMs,
        // As many floor passes as measured deployments: the fastest of each side is compared.
        repeats: o.models.length - 1,
      });
      row.floor = floor;
      o.log(
        `  floor ${(floor.ms / 1000).toFixed(2)} s (runs ${floor.runsMs.map((ms) => (ms / 1000).toFixed(2)).join(', ')} s), ` +
          `${floor.completed}/${o.devices} clients, ${floor.payloadMBps.toFixed(1)} MB/s`,
      );
    }
    // The embedded case's broker lives in the server; Mosquitto gets a fresh process so its peak is this run's.
    const external = o.broker === 'mosquitto' ? await startBroker('mosquitto') : undefined;
    try {
      row.system = await runSystem({
        devices: o.devices,
        models: o.models,
        chunkSize: o.chunkSize,
        broker: external,
        capMs: o.capMs,
        stateRoot: o.stateRoot,
        cpuProfileDir: o.cpuProfileDir,
        log: o.log,
      });
    } finally {
      await external?.stop();
    }
  } catch (error) {
    row.error = error instanceof Error ? error.message.split('\n')[0] : String(error);
    o.log(`  error: ${row.error}`);
  }
  return row;
}

/** Whether a row completed within the cap with every device activated and verified, in every pass. */
export function rowSucceeded(row: OtaBenchRow): boolean {
  return !row.error && row.system !== undefined && passSucceeded(row.system, row.devices);
}
