import { createImageSet } from '@fleetprune/datasets';
import { SampleSource } from './sample-source';

function tinySet(count: number) {
  const images = new Uint8Array(count * 4).map((_, i) => (i * 37) % 256);
  return createImageSet({
    images,
    labels: new Uint8Array(count).map((_, i) => i % 3),
    height: 2,
    width: 2,
    channels: 1,
    classNames: ['a', 'b', 'c'],
  });
}

describe(SampleSource.name, () => {
  it('gives every cursor the same samples, shuffled by seed, wrapping around', () => {
    const source = new SampleSource(tinySet(50), { shuffleSeed: 3 });
    const a = source.cursor(0);
    const b = source.cursor(0);
    const first = Array.from({ length: 60 }, () => a.next());
    expect(Array.from({ length: 60 }, () => b.next().label)).toEqual(first.map((s) => s.label));
    expect(first[50].pixels).toEqual(first[0].pixels);
    const unshuffled = new SampleSource(tinySet(50));
    expect(first.slice(0, 50).map((s) => s.label)).not.toEqual(
      Array.from({ length: 50 }, (_, i) => unshuffled.at(i).label),
    );
  });

  it('corrupts the requested fraction of samples, the same ones on every read', () => {
    const source = new SampleSource(tinySet(1000), { drift: { fraction: 0.3, kind: 'invert', seed: 9 } });
    const drifted = Array.from({ length: 1000 }, (_, i) => source.at(i)).filter((s) => s.drifted);
    expect(drifted.length).toBeGreaterThan(250);
    expect(drifted.length).toBeLessThan(350);
    const s = drifted[0];
    const clean = new SampleSource(tinySet(1000)).at(s.index);
    expect(Array.from(s.pixels)).toEqual(Array.from(clean.pixels, (p) => 255 - p));
    expect(source.at(s.index).pixels).toEqual(s.pixels);
    source.setDrift(undefined);
    expect(source.at(s.index).drifted).toBe(false);
  });

  it('adds bounded noise and refuses a fraction outside 0..1', () => {
    const source = new SampleSource(tinySet(10), { drift: { fraction: 1, kind: 'noise', amplitude: 10 } });
    const clean = new SampleSource(tinySet(10));
    for (let i = 0; i < 10; i++) {
      const noisy = source.at(i).pixels;
      clean.at(i).pixels.forEach((p, k) => expect(Math.abs(noisy[k] - p)).toBeLessThanOrEqual(10));
    }
    expect(() => source.setDrift({ fraction: 1.5, kind: 'invert' })).toThrow(/fraction/);
  });
});
