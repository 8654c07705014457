import { createMatcher } from '../../../../bot-flows/matching';
import { buildSyntheticFaq, sampleQueries } from '../../../../bot-flows/matching/synthetic-faq';

describe('buildSyntheticFaq', () => {
  it('is deterministic and gives distinct ids and questions, Russian and English', () => {
    const entries = buildSyntheticFaq(500);
    expect(buildSyntheticFaq(500)).toEqual(entries);
    expect(new Set(entries.map((entry) => entry.id)).size).toBe(500);
    expect(new Set(entries.flatMap((entry) => entry.questions)).size).toBe(1500);
    expect(entries.some((entry) => /[а-я]/i.test(entry.questions[0] ?? ''))).toBe(true);
    expect(entries.some((entry) => /^[a-z ?,]+$/i.test(entry.questions[0] ?? ''))).toBe(true);
  });

  it('keeps ids distinct past 500 entries', () => {
    const entries = buildSyntheticFaq(600);
    expect(new Set(entries.map((entry) => entry.id)).size).toBe(600);
  });
});

describe('a 500-entry matcher', () => {
  const entries = buildSyntheticFaq(500);
  const matcher = createMatcher(entries);

  it('matches every entry by its own questions', () => {
    for (const entry of entries) {
      for (const question of entry.questions) expect(matcher.match(question).match?.entryId).toBe(entry.id);
    }
  });

  it('matches reworded and misspelt questions and misses unrelated texts', () => {
    const queries = sampleQueries(entries, 1000);
    expect(sampleQueries(entries, 1000)).toEqual(queries);
    const wrong = queries.filter(
      (query) => matcher.match(query.text).match?.entryId !== (query.expectedId ?? undefined),
    );
    expect(queries.filter((query) => query.expectedId === null).length).toBe(200);
    expect(wrong.length).toBeLessThanOrEqual(10);
  });

  it('finds the right entry for hand-written queries', () => {
    expect(matcher.match('сколько стоит дотсавка').match?.entryId).toBe('ru-0-price');
    expect(matcher.match('отменить ремонт телефона').match?.entryId).toBe('ru-13-cancel');
    expect(matcher.match('how much for bike rental').match?.entryId).toBe('en-16-price');
    expect(matcher.match('какая погода завтра').match).toBeNull();
  });
});
