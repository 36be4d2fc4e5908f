import { readFile } from 'node:fs/promises';
import { DATASET_NAMES, DatasetName } from '@fleetprune/datasets';
import { CliError } from './server-client';

/** Reads a file the user named, or fails with a message naming it. */
export async function readFileOrFail(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    throw new CliError(`cannot read ${path}: ${(error as Error).message}`);
  }
}

/** Checks a --dataset value against the datasets libs/datasets can load. */
export function parseDatasetName(name: string): DatasetName {
  if (!(DATASET_NAMES as readonly string[]).includes(name)) {
    throw new CliError(`unknown dataset ${JSON.stringify(name)}; use one of ${DATASET_NAMES.join(', ')}`);
  }
  return name as DatasetName;
}
