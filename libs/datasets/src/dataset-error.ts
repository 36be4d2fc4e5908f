/** Why a dataset operation failed; callers map codes to HTTP or CLI answers. */
export type DatasetErrorCode =
  | 'NOT_INSTALLED' // the dataset's files are missing; the message names the package that ships them
  | 'READ_FAILED' // the file exists but could not be read (permissions, a directory, ...)
  | 'CORRUPT' // bytes that are not a well-formed IDX / JSON dataset
  | 'TOO_LARGE' // a file or header asks for more than the configured size limit
  | 'BAD_ARGUMENT'; // a caller passed an out-of-range count, index, fraction or seed

/** The one error class of libs/datasets; its message starts with `Datasets:` and says what to do. */
export class DatasetError extends Error {
  constructor(
    readonly code: DatasetErrorCode,
    message: string,
  ) {
    super(`Datasets: ${message}`);
    this.name = 'DatasetError';
  }
}
