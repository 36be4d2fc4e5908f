import { AppError } from '../errors/app-error';

/**
 * Start of the rollup bucket a window falls in. Buckets follow the server's clock at
 * ingestion (`receivedAt`), never the device's window times: a device clock may be wrong or
 * 0 (no clock), and one device must not be able to write into another time range.
 */
export function bucketStart(receivedAt: number, bucketMs: number): number {
  return Math.floor(receivedAt / bucketMs) * bucketMs;
}

/**
 * The bucket length of a query in ms: `bucketS` seconds when given, which must be a whole
 * multiple of the stored bucket (coarser buckets are sums of stored ones; finer ones do not exist).
 */
export function queryBucketMs(bucketS: number | undefined, baseMs: number): number {
  if (bucketS === undefined) return baseMs;
  const ms = bucketS * 1000;
  if (!Number.isInteger(ms) || ms < baseMs || ms % baseMs !== 0)
    throw new AppError(
      'INVALID_INPUT',
      `bucketS must be a whole multiple of the stored bucket (${baseMs / 1000} s, TELEMETRY_BUCKET_S), got ${bucketS}`,
    );
  return ms;
}
