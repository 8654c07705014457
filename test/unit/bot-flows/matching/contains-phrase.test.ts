import { containsPhrase, createPhraseDetector } from '../../../../bot-flows/matching';

const HAND_OFF = ['оператор', 'operator', 'живой человек'];

describe('containsPhrase', () => {
  it.each([
    'позовите оператора пж',
    'Оператор!',
    'can I talk to an operator?',
    'Operators, anyone?',
    'позовите живого человека',
    'человек живой нужен',
    'позовите опертора',
    'опертор',
  ])('finds a hand-off phrase in %j', (text) => {
    expect(containsPhrase(text, HAND_OFF)).toBe(true);
  });

  it.each(['сколько стоит доставка', 'нужен человек', 'живой', '', '🙂'])('finds none in %j', (text) => {
    expect(containsPhrase(text, HAND_OFF)).toBe(false);
  });

  it('tolerates no typo with typos off', () => {
    expect(containsPhrase('опертор', HAND_OFF, { typos: false })).toBe(false);
    expect(containsPhrase('оператора', HAND_OFF, { typos: false })).toBe(true);
  });

  it('honours synonyms', () => {
    expect(containsPhrase('нужен консультант', ['оператор'])).toBe(false);
    expect(
      containsPhrase('нужен консультант', ['оператор'], { synonyms: [['оператор', 'консультант']] }),
    ).toBe(true);
  });

  it('matches a phrase made of stop words only by those words', () => {
    expect(containsPhrase('как дела', ['как'])).toBe(true);
    expect(containsPhrase('дела', ['как'])).toBe(false);
  });

  it('finds nothing for no phrases or empty ones', () => {
    expect(containsPhrase('оператор', [])).toBe(false);
    expect(containsPhrase('оператор', ['', '!!!'])).toBe(false);
  });
});

describe('createPhraseDetector', () => {
  it('answers like containsPhrase and is reusable', () => {
    const handOff = createPhraseDetector(HAND_OFF);
    expect(handOff('позовите оператора пж')).toBe(true);
    expect(handOff('где мой заказ')).toBe(false);
    expect(handOff('живого человека дайте')).toBe(true);
  });
});
