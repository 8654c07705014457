import {
  extractPlaceholders,
  findStrayHashes,
  renderTemplate,
  tokenizeTemplate,
} from '../../../src/templates/placeholders';

describe('extractPlaceholders', () => {
  it('lists names in order of first use, each once', () => {
    expect(extractPlaceholders('Заказ #order# на #sum# ₽. Заказ #order# готов, #name#!')).toEqual([
      'order',
      'sum',
      'name',
    ]);
  });

  it('accepts Latin letters, digits and underscores in any mix', () => {
    expect(extractPlaceholders('#a# #Z9# #_x_# #2fa_code# #123#')).toEqual([
      'a',
      'Z9',
      '_x_',
      '2fa_code',
      '123',
    ]);
  });

  it('finds adjacent placeholders and placeholders around emoji', () => {
    expect(extractPlaceholders('#a##b#')).toEqual(['a', 'b']);
    expect(extractPlaceholders('🎉#name#🎉 👍🏽#code#')).toEqual(['name', 'code']);
  });

  it('returns nothing for plain text, escapes and stray hashes', () => {
    expect(extractPlaceholders('Спасибо за заказ!')).toEqual([]);
    expect(extractPlaceholders('Заказ ##123')).toEqual([]);
    expect(extractPlaceholders('#code и #код#')).toEqual([]);
    expect(extractPlaceholders('')).toEqual([]);
  });
});

describe('tokenizeTemplate', () => {
  it('reads ## as a literal # before trying a placeholder', () => {
    expect(tokenizeTemplate('###code#')).toEqual([
      { kind: 'text', text: '#' },
      { kind: 'placeholder', name: 'code' },
    ]);
  });

  it('marks a hash that closes nothing as stray, with its UTF-16 offset', () => {
    expect(tokenizeTemplate('😀 #code')).toEqual([
      { kind: 'text', text: '😀 ' },
      { kind: 'stray-hash', offset: 3 },
      { kind: 'text', text: 'code' },
    ]);
  });
});

describe('findStrayHashes', () => {
  it('accepts well-formed texts', () => {
    expect(findStrayHashes('Ваш код: #code#. Заказ ##42, C## и F##')).toEqual([]);
  });

  it('reports an unclosed placeholder with its position in code points and what to write', () => {
    const [stray, ...rest] = findStrayHashes('Ваш код: #code');
    expect(rest).toEqual([]);
    expect(stray?.position).toBe(10);
    expect(stray?.message).toBe(
      'unmatched "#" at character 10 ("#code"): write #name# for a placeholder (Latin letters, digits and _) or ## for a literal #',
    );
  });

  it('counts an emoji as one character in the position', () => {
    expect(findStrayHashes('🙂🙂 #x').map((stray) => stray.position)).toEqual([4]);
  });

  it('reports every stray hash: Cyrillic names, spaces, a lone hash, a trailing odd hash', () => {
    expect(findStrayHashes('#код#').map((stray) => stray.position)).toEqual([1, 5]);
    expect(findStrayHashes('# code #').map((stray) => stray.position)).toEqual([1, 8]);
    expect(findStrayHashes('C#').map((stray) => stray.position)).toEqual([2]);
    expect(findStrayHashes('#code##').map((stray) => stray.position)).toEqual([7]);
    expect(findStrayHashes('#')).toHaveLength(1);
    expect(findStrayHashes('##')).toEqual([]);
    expect(findStrayHashes('###')).toHaveLength(1);
  });

  it('shows at most 16 characters of what follows the hash', () => {
    const [stray] = findStrayHashes('#abcdefghijklmnopqrstuvwxyz');
    expect(stray?.message).toContain('("#abcdefghijklmno")');
  });
});

describe('renderTemplate', () => {
  it('substitutes every placeholder', () => {
    expect(renderTemplate({ body: 'Ваш код: #code#' }, { code: '1234' })).toEqual({
      ok: true,
      text: 'Ваш код: 1234',
      serviceText: 'Ваш код: 1234',
      unused: [],
    });
  });

  it('renders English text with repeated placeholders', () => {
    const result = renderTemplate(
      { body: 'Hi #name#, order #order# is on its way. #name#, thanks!' },
      {
        name: 'Ann',
        order: 'A-17',
      },
    );
    expect(result).toMatchObject({ ok: true, text: 'Hi Ann, order A-17 is on its way. Ann, thanks!' });
  });

  it('turns ## into # and leaves text without placeholders as is', () => {
    expect(renderTemplate({ body: 'Заказ ##123 принят 🎉' }, {})).toMatchObject({
      ok: true,
      text: 'Заказ #123 принят 🎉',
    });
  });

  it('names every missing placeholder, in order, across body and tail', () => {
    expect(renderTemplate({ body: '#a# #b# #a#', advertisingTail: 'Скидка #promo#' }, { b: '2' })).toEqual({
      ok: false,
      missing: ['a', 'promo'],
      malformed: [],
    });
  });

  it('reports unknown parameters as unused on success', () => {
    expect(renderTemplate({ body: '#code#' }, { code: '1', extra: 'x', other: 'y' })).toMatchObject({
      ok: true,
      unused: ['extra', 'other'],
    });
  });

  it('inserts values literally: no recursive expansion, no replacement patterns', () => {
    const result = renderTemplate({ body: '#a# / #b#' }, { a: '#b#', b: '$& ##x## $1' });
    expect(result).toMatchObject({ ok: true, text: '#b# / $& ##x## $1' });
  });

  it('accepts an empty value as given', () => {
    expect(renderTemplate({ body: 'Код:#code#.' }, { code: '' })).toMatchObject({ ok: true, text: 'Код:.' });
  });

  it('does not take inherited properties for parameters', () => {
    const result = renderTemplate({ body: '#constructor# #toString#' }, {});
    expect(result).toEqual({ ok: false, missing: ['constructor', 'toString'], malformed: [] });
  });

  it('uses an own __proto__ key like any other', () => {
    const params = JSON.parse('{"__proto__": "x"}') as Record<string, string>;
    expect(renderTemplate({ body: '#__proto__#' }, params)).toMatchObject({ ok: true, text: 'x' });
  });

  it('appends the advertising tail after one blank line and renders its placeholders', () => {
    const result = renderTemplate(
      { body: 'Заказ #order# доставлен.', advertisingTail: 'Промокод #promo# на −10% 🛍' },
      { order: '42', promo: 'SALE10' },
    );
    expect(result).toEqual({
      ok: true,
      serviceText: 'Заказ 42 доставлен.',
      text: 'Заказ 42 доставлен.\n\nПромокод SALE10 на −10% 🛍',
      unused: [],
    });
  });

  it('keeps exactly one blank line at the seam whatever whitespace surrounds it', () => {
    const result = renderTemplate({ body: 'Service.\n\n\n', advertisingTail: '\n  Ad.' }, {});
    expect(result).toMatchObject({ ok: true, serviceText: 'Service.\n\n\n', text: 'Service.\n\nAd.' });
  });

  it('treats an empty tail as none', () => {
    expect(renderTemplate({ body: 'Body', advertisingTail: '' }, {})).toMatchObject({
      ok: true,
      text: 'Body',
    });
  });

  it('refuses a malformed template, naming the part and position', () => {
    const result = renderTemplate(
      { body: 'Код #code', advertisingTail: 'Скидка 10# #promo#' },
      { promo: 'X' },
    );
    expect(result).toEqual({
      ok: false,
      missing: [],
      malformed: [
        expect.objectContaining({ part: 'body', position: 5 }),
        expect.objectContaining({ part: 'advertisingTail', position: 10 }),
      ],
    });
  });
});
