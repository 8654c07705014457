import { normalizeText, stemTokens } from '../../../../bot-flows/matching';

describe('normalizeText', () => {
  it('lower-cases Cyrillic and Latin', () => {
    expect(normalizeText('СКОЛЬКО Стоит SHIPPING')).toBe('сколько стоит shipping');
  });

  it('turns ё and Ё into е', () => {
    expect(normalizeText('Ещё ЁЛКА всё')).toBe('еще елка все');
  });

  it('removes punctuation and collapses whitespace', () => {
    expect(normalizeText('  Сколько — стоит,\tдоставка?!\n«срочно»... ')).toBe(
      'сколько стоит доставка срочно',
    );
  });

  it('removes emoji and stress marks, keeps digits', () => {
    expect(normalizeText('Доста́вка 🚚🔥 за 2 дня 👍🏽')).toBe('доставка за 2 дня');
  });

  it('joins English contractions', () => {
    expect(normalizeText("What's the price? Don’t know")).toBe('whats the price dont know');
  });

  it('gives an empty string for empty, blank and emoji-only text', () => {
    expect(normalizeText('')).toBe('');
    expect(normalizeText(' \n\t ')).toBe('');
    expect(normalizeText('🙂🙂 🎉')).toBe('');
  });
});

describe('stemTokens', () => {
  it('stems Russian inflections to one stem and drops stop words', () => {
    expect(stemTokens('Сколько стоит доставка?')).toEqual(['скольк', 'сто', 'доставк']);
    expect(
      new Set(['доставка', 'доставки', 'доставкой', 'доставку'].flatMap((word) => stemTokens(word))),
    ).toEqual(new Set(['доставк']));
  });

  it('stems each token by the stemmer of its script', () => {
    expect(stemTokens('Доставка deliveries в Москву')).toEqual(['доставк', 'deliveri', 'москв']);
  });

  it('leaves a script unstemmed when its language is off', () => {
    expect(stemTokens('доставка deliveries', ['ru'])).toEqual(['доставк', 'deliveries']);
    expect(stemTokens('доставка deliveries', ['en'])).toEqual(['доставка', 'deliveri']);
  });

  it('drops stop words of both languages', () => {
    expect(stemTokens('а что это за the thing, is it?')).toEqual(['thing']);
  });

  it('reads at most 64 content tokens', () => {
    const words = Array.from({ length: 100 }, (_, index) => `слово${index}`).join(' ');
    expect(stemTokens(words)).toHaveLength(64);
  });
});
