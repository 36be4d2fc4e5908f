import { rolloutOrder, stageEnd, stageSlice, stagesProblem } from './rollout-plan';

describe('rollout plan', () => {
  it('accepts increasing cumulative stages ending at 100 and explains the rest', () => {
    expect(stagesProblem([10, 50, 100])).toBeUndefined();
    expect(stagesProblem([100])).toBeUndefined();
    expect(stagesProblem([])).toMatch(/1-20/);
    expect(stagesProblem([50, 40, 100])).toMatch(/must increase/);
    expect(stagesProblem([10, 50])).toMatch(/last stage must be 100/);
    expect(stagesProblem([0, 100])).toMatch(/stage 1 is 0%/);
  });

  it('splits devices into disjoint stages that cover everyone once', () => {
    const devices = Array.from({ length: 23 }, (_, i) => `d${i}`);
    const ordered = rolloutOrder('r1', devices);
    const stages = [10, 50, 100];
    const slices = stages.map((_, i) => stageSlice(stages, i, ordered));
    expect(slices.map((s) => s.length)).toEqual([3, 9, 11]);
    expect(slices.flat().sort()).toEqual([...devices].sort());
    // A tiny fleet still gives every stage a device until it runs out.
    expect([0, 1, 2].map((i) => stageEnd([1, 2, 100], i, 2))).toEqual([1, 2, 2]);
    expect(stageSlice([1, 2, 100], 2, ['a', 'b'])).toEqual([]);
  });

  it('orders reproducibly per rollout, differently across rollouts', () => {
    const devices = Array.from({ length: 50 }, (_, i) => `dev-${i}`);
    expect(rolloutOrder('a', devices)).toEqual(rolloutOrder('a', [...devices].reverse()));
    expect(rolloutOrder('a', devices).slice(0, 5)).not.toEqual(rolloutOrder('b', devices).slice(0, 5));
  });
});
