import { type FaqEntry, FlowBlockError, faq, gotoPayload } from '../../../../bot-flows/blocks';
import { defineFlow, handoffPayload } from '../../../../bot-flows/engine';
import { buttonsOf, converse, textsOf } from './converse';

const entries: FaqEntry[] = [
  {
    id: 'delivery',
    questions: ['Сколько стоит доставка?', 'Когда привезут заказ?', 'How much is delivery?'],
    keywords: ['доставка'],
    answer: 'Доставка 300 ₽.',
    buttons: [
      { label: 'Сроки', goto: 'returns' },
      { label: 'Оператор', handoff: true },
      { label: 'Сайт', url: 'https://shop.example/delivery' },
    ],
  },
  {
    id: 'returns',
    questions: ['Как вернуть товар?', 'Вы вернёте деньги?', 'How do I return an item?'],
    answer: 'Возврат в течение 14 дней.',
  },
  {
    id: 'payment',
    questions: ['Как оплатить заказ?', 'Можно картой?'],
    answer: 'Картой или через СБП.',
  },
];

const shopFaq = faq({ entries, synonyms: [['доставка', 'привоз', 'курьер']] });
const flow = defineFlow({ name: 'faq', middleware: [shopFaq], handoff: { afterMisses: 2 } });

describe('faq', () => {
  test.each([
    ['Сколько стоит доставка?', 'delivery'],
    ['сколько стоит дотавка', 'delivery'],
    ['СКОЛЬКО СТОИТ ПРИВОЗ!!!', 'delivery'],
    ['How much is the delivery?', 'delivery'],
    ['how much is delivry', 'delivery'],
    ['вы вернете деньги', 'returns'],
    ['Вы вернёте деньги?', 'returns'],
    ['how do i retrun an item', 'returns'],
    ['можно оплатить картой', 'payment'],
  ])('"%s" is answered by %s and noted as a match', async (text, entryId) => {
    const result = await converse(flow).say(text);
    expect(result.outcome).toBe('answered');
    expect(result.match).toMatchObject({ entryId });
    expect(result.match?.confidence).toBeGreaterThanOrEqual(0.5);
    expect(textsOf(result)).toEqual([entries.find((entry) => entry.id === entryId)?.answer]);
  });

  test.each([
    ['Какая погода в Москве?', 'какая погода в москве'],
    ["What's the weather like?", 'whats the weather like'],
  ])(
    '"%s" is a miss: noted with its best confidence and passed on to the fallback',
    async (text, normalized) => {
      const result = await converse(flow).say(text);
      expect(result.outcome).toBe('missed');
      expect(result.match).toMatchObject({ entryId: null });
      expect(result.match?.confidence).toBeLessThan(0.5);
      expect(result.match?.normalized).toBe(normalized);
      expect(textsOf(result)).toEqual([
        'Я не понял вопрос. Переформулируйте, пожалуйста, или позовите оператора.',
      ]);
    },
  );

  test('two misses in a row hand off', async () => {
    const chat = converse(flow);
    expect((await chat.say('абракадабра')).outcome).toBe('missed');
    const second = await chat.say('ничего не понятно');
    expect(second.outcome).toBe('handoff');
    expect(second.handoff).toEqual({ reason: 'misses' });
  });

  test('an answer carries its buttons: goto, hand-off and link', async () => {
    const result = await converse(flow).say('доставка');
    expect(buttonsOf(result)).toEqual([
      `Сроки → ${gotoPayload('returns')}`,
      `Оператор → ${handoffPayload}`,
      'Сайт → https://shop.example/delivery',
    ]);
  });

  test('a goto button answers its entry and is noted as a match; typing its number does the same', async () => {
    const pressed = await converse(flow).press(gotoPayload('payment'), 'Оплата');
    expect(textsOf(pressed)).toEqual(['Картой или через СБП.']);
    expect(pressed.match).toMatchObject({ entryId: 'payment', confidence: 1 });
    const chat = converse(flow);
    await chat.say('доставка');
    expect(textsOf(await chat.say('1'))).toEqual(['Возврат в течение 14 дней.']);
  });

  test('other buttons and empty texts pass on without a note', async () => {
    const unknown = await converse(flow).press('rate:good');
    expect(unknown.outcome).toBe('missed');
    expect(unknown.match).toBeNull();
    const emoji = await converse(flow).say('🙏🙏');
    expect(emoji.match).toBeNull();
  });

  test('an answer can be an action', async () => {
    const acting = defineFlow({
      name: 'acting',
      middleware: [
        faq({
          entries: [
            {
              id: 'status',
              questions: ['Где мой заказ?'],
              answer: (ctx) => {
                ctx.state.asked = true;
                ctx.reply(`Сейчас проверю, ${ctx.contact.name}.`);
              },
            },
          ],
        }),
      ],
    });
    const result = await converse(acting).say('где мой заказ');
    expect(textsOf(result)).toEqual(['Сейчас проверю, Анна.']);
    expect(result.session.data).toEqual({ asked: true });
  });

  test('exposes its entries for the never-matched report', () => {
    expect(shopFaq.entries).toEqual([
      { id: 'delivery', title: 'Сколько стоит доставка?' },
      { id: 'returns', title: 'Как вернуть товар?' },
      { id: 'payment', title: 'Как оплатить заказ?' },
    ]);
  });

  test('two entries with one id are refused', () => {
    const twice = [entries[0] as FaqEntry, { ...(entries[1] as FaqEntry), id: 'delivery' }];
    expect(() => faq({ entries: twice })).toThrow(FlowBlockError);
    expect(() => faq({ entries: twice })).toThrow('faq: two entries have the id "delivery"');
  });
});
