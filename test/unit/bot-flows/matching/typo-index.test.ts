import { allowedEdits, osaDistance, TypoIndex } from '../../../../bot-flows/matching/typo-index';

describe('osaDistance', () => {
  it('counts insertions, deletions, substitutions and adjacent swaps as one edit each', () => {
    expect(osaDistance('доставка', 'доставка', 2)).toBe(0);
    expect(osaDistance('доставка', 'доствка', 2)).toBe(1);
    expect(osaDistance('доставка', 'дотсавка', 2)).toBe(1);
    expect(osaDistance('delivery', 'delivary', 2)).toBe(1);
    expect(osaDistance('kitten', 'sitting', 5)).toBe(3);
  });

  it('reports anything above the bound as bound + 1', () => {
    expect(osaDistance('доставка', 'оплата', 2)).toBe(3);
    expect(osaDistance('a', 'abcdef', 1)).toBe(2);
  });

  it('handles terms longer than the shared table', () => {
    const long = 'а'.repeat(40);
    expect(osaDistance(long, `${long}б`, 2)).toBe(1);
  });
});

describe('allowedEdits', () => {
  it('allows none below 4 characters, 1 for 4–7 and 2 from 8', () => {
    expect([3, 4, 7, 8, 12].map(allowedEdits)).toEqual([0, 1, 1, 2, 2]);
  });
});

describe('TypoIndex', () => {
  const index = new TypoIndex();
  for (const term of ['доставк', 'оператор', 'оплат', 'оплат', 'оплот', 'сто']) index.add(term);

  it('finds the closest term within the edits the word length allows', () => {
    expect(index.correct('доствк', 7)).toEqual({ term: 'доставк', distance: 1 });
    expect(index.correct('опертр', 8)).toEqual({ term: 'оператор', distance: 2 });
    expect(index.correct('опертр', 7)).toBeNull();
  });

  it('prefers the more frequent of equally close terms', () => {
    expect(index.correct('оплут', 6)).toEqual({ term: 'оплат', distance: 1 });
  });

  it('neither corrects nor offers terms shorter than 4 characters', () => {
    expect(index.correct('стол', 4)).toBeNull();
    expect(index.correct('стт', 8)).toBeNull();
  });

  it('stops filing new terms past its budget; terms filed before still correct', () => {
    const small = new TypoIndex(50);
    small.add('доставк');
    expect(small.full).toBe(false);
    small.add('оператор');
    expect(small.full).toBe(true);
    small.add('возврат');
    expect(small.correct('доствк', 7)).toEqual({ term: 'доставк', distance: 1 });
    expect(small.correct('опертор', 8)).toEqual({ term: 'оператор', distance: 1 });
    expect(small.correct('возрат', 7)).toBeNull();
  });
});
