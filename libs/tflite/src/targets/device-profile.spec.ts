import { BUILTIN_DEVICE_PROFILES, builtinDeviceProfile, checkModelFitsProfile } from './device-profile';

describe(checkModelFitsProfile.name, () => {
  const esp32 = builtinDeviceProfile('esp32')!;

  it('accepts a model within every budget and estimates its latency', () => {
    const check = checkModelFitsProfile(
      { flashBytes: 300_568, arenaBytes: 85_616, ops: ['CONV_2D', 'SOFTMAX'], macs: 7_160_000 },
      esp32,
    );
    expect(check).toEqual({ fits: true, reasons: [], estimatedLatencyMs: 358 });
  });

  it('names every budget a model breaks', () => {
    const check = checkModelFitsProfile(
      { flashBytes: 2 * 1024 * 1024, arenaBytes: 200 * 1024, ops: ['CONV_2D', 'LSTM'], macs: 40e6 },
      esp32,
    );
    expect(check.fits).toBe(false);
    expect(check.reasons).toEqual([
      'flash: model needs 2097152 bytes, esp32 offers 1048576',
      'RAM: tensor arena needs 204800 bytes, esp32 offers 163840',
      'ops: esp32 lacks LSTM',
      'latency: about 2000.0 ms estimated, budget 1000 ms',
    ]);
  });

  it('has the documented built-in catalogue', () => {
    expect(BUILTIN_DEVICE_PROFILES.map((p) => p.name)).toEqual(['esp32', 'esp32-s3', 'rpi-zero-2w', 'rpi-4']);
    expect(builtinDeviceProfile('nope')).toBeUndefined();
  });
});
