import { createMatcher, type FaqEntrySpec } from '../../../../bot-flows/matching';

const ENTRIES: FaqEntrySpec[] = [
  { id: 'delivery-price', questions: ['Какая стоимость доставки'], keywords: ['доставка'] },
  {
    id: 'returns',
    questions: ['Как вернуть товар?', 'Можно ли сдать покупку обратно'],
    keywords: ['возврат'],
  },
  { id: 'hours', questions: ['Во сколько вы открываетесь?', 'Какой у вас график работы'] },
  { id: 'code', questions: ['Можно ли ещё раз получить код?'] },
  { id: 'shipping-en', questions: ['How much does delivery cost?'], keywords: ['delivery'] },
  { id: 'refund-en', questions: ['How do I get a refund?'], keywords: ['refund'] },
];

const matcher = createMatcher(ENTRIES, { synonyms: [['shipping', 'delivery']] });
const matchedId = (text: string): string | null => matcher.match(text).match?.entryId ?? null;

describe('createMatcher: Russian', () => {
  it('matches a question worded otherwise through the entry keyword', () => {
    const outcome = matcher.match('Сколько стоит доставка?');
    expect(outcome.match?.entryId).toBe('delivery-price');
    expect(outcome.normalized).toBe('сколько стоит доставка');
  });

  it.each(['доставкой', 'доставку', 'Доставки'])('matches the inflection %s', (text) => {
    expect(matchedId(text)).toBe('delivery-price');
  });

  it('matches a paraphrase with the same key words with confidence ≥ 0.7', () => {
    expect(matcher.match('хочу вернуть товар').match).toEqual({
      entryId: 'returns',
      confidence: expect.any(Number),
    });
    expect(matcher.match('хочу вернуть товар').match?.confidence).toBeGreaterThanOrEqual(0.7);
    expect(matcher.match('график работы у вас какой?').match?.confidence).toBeGreaterThanOrEqual(0.7);
  });

  it('reads ё as е on both sides', () => {
    expect(matchedId('еще раз получить код')).toBe('code');
    expect(matchedId('ЕЩЁ РАЗ КОД ПОЛУЧИТЬ')).toBe('code');
  });
});

describe('createMatcher: English', () => {
  it('matches through a synonym', () => {
    expect(matcher.match('how much is shipping').match?.entryId).toBe('shipping-en');
    expect(matcher.match('how much is shipping').match?.confidence).toBeGreaterThanOrEqual(0.7);
  });

  it('matches inflections', () => {
    expect(matchedId('refunds')).toBe('refund-en');
  });
});

describe('createMatcher: typos', () => {
  it.each([
    ['дотсавка', 'delivery-price'],
    ['доствка', 'delivery-price'],
    ['доставкй', 'delivery-price'],
    ['delivry', 'shipping-en'],
    ['how much is delivary', 'shipping-en'],
  ])('matches %s', (text, id) => {
    expect(matchedId(text)).toBe(id);
  });

  it('counts a typo-corrected word less than the exact one', () => {
    const exact = matcher.match('доставка').match?.confidence ?? 0;
    const typo = matcher.match('дотсавка').match?.confidence ?? 0;
    expect(typo).toBeGreaterThan(0.5);
    expect(typo).toBeLessThan(exact);
  });

  it('tolerates no typo in words shorter than 4 characters, nor any with typos off', () => {
    const strict = createMatcher(ENTRIES, { typos: false });
    expect(strict.match('дотсавка').match).toBeNull();
    expect(strict.match('доставка').match?.entryId).toBe('delivery-price');
  });
});

describe('createMatcher: misses', () => {
  it.each([
    'привет',
    'какая погода',
    'Купил слона в зоопарке',
    'the quick brown fox jumps over the lazy dog',
  ])('misses %s with no candidate', (text) => {
    expect(matcher.match(text)).toEqual({ match: null, candidates: [], normalized: expect.any(String) });
  });

  it('keeps one shared content word among five or more below 0.5', () => {
    const outcome = matcher.match('я вчера гулял по парку и увидел машину доставки');
    expect(outcome.match).toBeNull();
    expect(outcome.candidates[0]?.entryId).toBe('delivery-price');
    expect(outcome.candidates[0]?.confidence).toBeLessThan(0.5);
  });

  it('does not match a question word alone', () => {
    expect(matcher.match('сколько?').match).toBeNull();
  });

  it.each(['', '   \n', '🙂🙂🙂', '?!...'])('handles %j without a match', (text) => {
    expect(matcher.match(text)).toEqual({ match: null, candidates: [], normalized: '' });
  });

  it('handles very long input', () => {
    const outcome = matcher.match('доставка '.repeat(20_000));
    expect(outcome.match?.entryId).toBe('delivery-price');
    expect(outcome.normalized.length).toBeLessThanOrEqual(4096);
  });
});

describe('createMatcher: threshold and candidates', () => {
  it('reports a candidate below the threshold but no match', () => {
    const strict = createMatcher(ENTRIES, { threshold: 0.95 });
    const outcome = strict.match('Сколько стоит доставка?');
    expect(outcome.match).toBeNull();
    expect(outcome.candidates[0]?.entryId).toBe('delivery-price');
  });

  it('matches at a lower threshold what the default misses', () => {
    const lenient = createMatcher(ENTRIES, { threshold: 0.25 });
    expect(lenient.match('я вчера гулял по парку и увидел машину доставки').match?.entryId).toBe(
      'delivery-price',
    );
  });

  it('gives at most 3 candidates, best first', () => {
    const outcome = matcher.match('сколько стоит доставка товар возврат график работы код');
    expect(outcome.candidates.length).toBeLessThanOrEqual(3);
    const confidences = outcome.candidates.map((candidate) => candidate.confidence);
    expect(confidences).toEqual([...confidences].sort((a, b) => b - a));
  });

  it('breaks ties by entry order', () => {
    const twins = createMatcher([
      { id: 'first', questions: ['Где мой заказ?'] },
      { id: 'second', questions: ['Где мой заказ?'] },
    ]);
    expect(twins.match('где заказ').candidates.map((candidate) => candidate.entryId)).toEqual([
      'first',
      'second',
    ]);
  });

  it('rejects a threshold outside 0..1 and reports the entry count', () => {
    expect(() => createMatcher(ENTRIES, { threshold: 1.5 })).toThrow(RangeError);
    expect(matcher.entryCount).toBe(ENTRIES.length);
    expect(createMatcher([]).match('доставка').match).toBeNull();
  });
});

describe('createMatcher: synonyms', () => {
  const entries: FaqEntrySpec[] = [
    { id: 'delivery', questions: ['Сколько стоит доставка?'] },
    { id: 'human', questions: ['Как связаться с оператором?'] },
  ];

  it('matches a synonym only when the group is given', () => {
    expect(createMatcher(entries).match('сколько стоит привоз').match?.confidence ?? 0).toBeLessThan(0.7);
    const withSynonyms = createMatcher(entries, { synonyms: [['доставка', 'привоз', 'курьер']] });
    expect(withSynonyms.match('сколько стоит привоз').match).toEqual({ entryId: 'delivery', confidence: 1 });
    expect(withSynonyms.match('курьером сколько стоит').match?.entryId).toBe('delivery');
  });

  it('matches a phrase synonym, inflected', () => {
    const withSynonyms = createMatcher(entries, { synonyms: [['оператор', 'живой человек']] });
    expect(withSynonyms.match('как связаться с живым человеком').match?.entryId).toBe('human');
  });
});
