import { DeviceRateLimiter } from './device-rate-limiter';

describe(DeviceRateLimiter.name, () => {
  it('lets a burst through, then the refill rate, per device', () => {
    let now = 0;
    const limiter = new DeviceRateLimiter(2, 5, () => now);
    const burst = Array.from({ length: 8 }, () => limiter.allow('flood'));
    expect(burst.filter(Boolean)).toHaveLength(5);
    expect(limiter.allow('quiet')).toBe(true); // another device is unaffected
    now = 1000; // one second refills two tokens
    expect([limiter.allow('flood'), limiter.allow('flood'), limiter.allow('flood')]).toEqual([
      true,
      true,
      false,
    ]);
    now = 100_000; // a long pause refills only up to the burst
    expect(Array.from({ length: 7 }, () => limiter.allow('flood')).filter(Boolean)).toHaveLength(5);
  });
});
