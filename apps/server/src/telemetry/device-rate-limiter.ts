/**
 * A token bucket per device: `burst` messages at once, refilled at `perSecond`. One device
 * flooding its topic loses its own messages, never anyone else's.
 */
export class DeviceRateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes one token for `deviceId`; false when its bucket is empty. */
  allow(deviceId: string): boolean {
    const now = this.now();
    const bucket = this.buckets.get(deviceId) ?? { tokens: this.burst, at: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.perSecond);
    bucket.at = now;
    const allowed = bucket.tokens >= 1;
    if (allowed) bucket.tokens -= 1;
    this.buckets.set(deviceId, bucket);
    return allowed;
  }
}
