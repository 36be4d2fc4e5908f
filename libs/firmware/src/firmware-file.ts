import type { TarEntry } from './tar-gz';

/** One file of a rendered firmware, in memory: what a renderer writes into a folder or an archive. */
export interface FirmwareFile extends TarEntry {
  /** Relative to the project root, `/`-separated. */
  path: string;
  bytes: Uint8Array;
  /** Unix permission bits: the template file's, 0o644 for generated files. */
  mode: number;
  /** true for files generated from the input, false for template copies. */
  generated: boolean;
}
