/** One file a firmware renderer wrote, relative to the output directory. */
export interface RenderedFile {
  path: string;
  bytes: number;
  /** true for files generated from the input, false for template copies. */
  generated: boolean;
}
