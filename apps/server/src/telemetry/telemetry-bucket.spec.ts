import { AppError } from '../errors/app-error';
import { bucketStart, queryBucketMs } from './telemetry-bucket';

describe('telemetry buckets', () => {
  it('floors the server arrival time to the bucket, whatever the bucket length', () => {
    // The expected starts come from calendar fields, independently of the division.
    const minute = (t: number) => new Date(t).setUTCSeconds(0, 0);
    const hour = (t: number) => new Date(t).setUTCMinutes(0, 0, 0);
    const second = (t: number) => new Date(t).setUTCMilliseconds(0);
    const at = Date.UTC(2025, 10, 27, 13, 41, 29, 456);
    const cases: Array<[number, number, number]> = [
      [0, 60_000, 0],
      [59_999, 60_000, 0],
      [60_000, 60_000, 60_000],
      [at, 60_000, minute(at)],
      [at, 3_600_000, hour(at)],
      [at, 1000, second(at)],
    ];
    for (const [t, ms, start] of cases) {
      expect(bucketStart(t, ms)).toBe(start);
      expect(t - start).toBeLessThan(ms);
    }
  });

  it('accepts query buckets that are whole multiples of the stored one and refuses others', () => {
    expect(queryBucketMs(undefined, 60_000)).toBe(60_000);
    expect(queryBucketMs(60, 60_000)).toBe(60_000);
    expect(queryBucketMs(3600, 60_000)).toBe(3_600_000);
    for (const bad of [30, 90, 0.5]) {
      expect(() => queryBucketMs(bad, 60_000)).toThrow(AppError);
      expect(() => queryBucketMs(bad, 60_000)).toThrow(/whole multiple of the stored bucket \(60 s/);
    }
  });
});
