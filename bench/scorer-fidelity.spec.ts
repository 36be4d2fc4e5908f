import { spearman } from './scorer-fidelity';

describe('spearman', () => {
  it('is 1 for the same order, -1 for the reverse, and matches a hand-computed case', () => {
    expect(spearman([1, 5, 9, 20], [0.1, 0.2, 3, 4])).toBeCloseTo(1, 12);
    expect(spearman([1, 2, 3, 4], [9, 7, 5, 1])).toBeCloseTo(-1, 12);
    // Ranks [0,1,2,3] against [1,0,3,2]: 1 - 6 * 4 / (4 * 15) = 0.6.
    expect(spearman([1, 2, 3, 4], [2, 1, 4, 3])).toBeCloseTo(0.6, 12);
  });
});
