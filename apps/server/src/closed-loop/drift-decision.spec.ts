import { decideCanary, decideDrift } from './drift-decision';

const rule = { targetAccuracy: 0.8, minSamples: 200, confidence: 0.95 };
const canaryRule = { minSamples: 200, confidence: 0.95, margin: 0.02 };

describe('decideDrift', () => {
  it('waits for enough samples even when they look bad', () => {
    expect(decideDrift({ labelled: 150, correct: 30 }, rule).drifted).toBe(false);
  });

  it('ignores a dip that noise explains and fires on one it does not', () => {
    // 78% of 300 is below 80% but its upper bound (~0.82) is not.
    const dip = decideDrift({ labelled: 300, correct: 234 }, rule);
    expect(dip.evidence.accuracy).toBeCloseTo(0.78, 5);
    expect(dip.evidence.upperBound).toBeGreaterThan(0.8);
    expect(dip.drifted).toBe(false);
    const drop = decideDrift({ labelled: 300, correct: 195 }, rule);
    expect(drop.evidence.upperBound).toBeLessThan(0.8);
    expect(drop.drifted).toBe(true);
    expect(drop.evidence).toMatchObject({
      labelled: 300,
      correct: 195,
      targetAccuracy: 0.8,
      minSamples: 200,
    });
  });
});

describe('decideCanary', () => {
  it('promotes a clearly better candidate and rolls back a clearly worse one', () => {
    const incumbent = { labelled: 600, correct: 330 };
    expect(decideCanary({ labelled: 300, correct: 240 }, incumbent, canaryRule).verdict).toBe('promote');
    const worse = decideCanary({ labelled: 300, correct: 90 }, incumbent, canaryRule);
    expect(worse.verdict).toBe('rollback');
    expect(worse.evidence.difference.upper).toBeLessThan(0);
  });

  it('waits while the evidence is thin or inconclusive', () => {
    expect(
      decideCanary({ labelled: 50, correct: 50 }, { labelled: 600, correct: 300 }, canaryRule).verdict,
    ).toBe('wait');
    // Equal accuracies: cannot rule out being 2 points worse with 250 samples each.
    expect(
      decideCanary({ labelled: 250, correct: 200 }, { labelled: 250, correct: 200 }, canaryRule).verdict,
    ).toBe('wait');
  });
});
