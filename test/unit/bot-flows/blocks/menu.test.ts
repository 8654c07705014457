import { faq, gotoPayload, greeting, menu, menuOptionPayload } from '../../../../bot-flows/blocks';
import { defineFlow, handoffPayload, renderReply } from '../../../../bot-flows/engine';
import { buttonsOf, converse, converseAfter, textsOf } from './converse';

const main = menu({
  id: 'main',
  text: 'Чем помочь?',
  keywords: ['меню', 'start'],
  options: [
    { label: 'Доставка', goto: 'delivery' },
    { label: 'Часы работы', answer: 'Мы работаем с 9 до 21.', buttons: [{ label: 'Назад', goto: 'main' }] },
    { label: 'Оператор', handoff: true },
    { label: 'Сайт', url: 'https://shop.example' },
  ],
});
const shopFaq = faq({
  entries: [{ id: 'delivery', questions: ['Сколько стоит доставка?'], answer: 'Доставка 300 ₽.' }],
});
const flow = defineFlow({ name: 'menu', middleware: [main, shopFaq] });

describe('menu', () => {
  test('a typed keyword or its goto button shows the text with a button per option', async () => {
    for (const result of [
      await converse(flow).say('Меню'),
      await converse(flow).say('/start'),
      await converse(flow).press(gotoPayload('main')),
    ]) {
      expect(textsOf(result)).toEqual(['Чем помочь?']);
      expect(buttonsOf(result)).toEqual([
        `Доставка → ${gotoPayload('delivery')}`,
        `Часы работы → ${menuOptionPayload('main', 1)}`,
        `Оператор → ${handoffPayload}`,
        'Сайт → https://shop.example',
      ]);
    }
  });

  test('an option with an answer replies in place, with its own buttons', async () => {
    const chat = await converseAfter(flow, ['меню']);
    const result = await chat.say('2');
    expect(result.message).toMatchObject({ kind: 'button', payload: 'menu:main:1' });
    expect(textsOf(result)).toEqual(['Мы работаем с 9 до 21.']);
    expect(buttonsOf(result)).toEqual([`Назад → ${gotoPayload('main')}`]);
  });

  test('a goto option is handled by its target; a hand-off option hands off', async () => {
    const chat = await converseAfter(flow, ['меню']);
    expect(textsOf(await chat.say('Доставка'))).toEqual(['Доставка 300 ₽.']);
    const other = await converseAfter(flow, ['меню']);
    expect((await other.say('3')).handoff).toEqual({ reason: 'button' });
  });

  test('on a channel without buttons the options are numbered, links written out', async () => {
    const result = await converse(flow, { channelType: 'sms' }).say('меню');
    const rendered = renderReply(result.replies[0] as (typeof result.replies)[0], { buttons: null });
    expect(rendered.text).toBe(
      'Чем помочь?\n\n1. Доставка\n2. Часы работы\n3. Оператор\nСайт: https://shop.example\nОтветьте цифрой / reply with a number.',
    );
  });

  test('a payload of another menu or an option index out of range is passed on', async () => {
    expect((await converse(flow).press('menu:other:1')).outcome).toBe('missed');
    expect((await converse(flow).press('menu:main:9')).outcome).toBe('missed');
    expect((await converse(flow).press('menu:main:')).outcome).toBe('missed');
  });
});

describe('greeting', () => {
  const greeted = defineFlow({
    name: 'greeted',
    middleware: [
      greeting({ text: 'Здравствуйте! Я бот магазина.', buttons: [{ label: 'Меню', goto: 'main' }] }),
      main,
      shopFaq,
    ],
  });

  test('the first turn gets the greeting and the answer to its question', async () => {
    const result = await converse(greeted).say('Здравствуйте, сколько стоит доставка?');
    expect(textsOf(result)).toEqual(['Здравствуйте! Я бот магазина.', 'Доставка 300 ₽.']);
    expect(result.replies[0]?.buttons).toEqual([{ label: 'Меню', payload: gotoPayload('main') }]);
  });

  test('a first message nobody answers gets only the greeting, not counted as a miss', async () => {
    const result = await converse(greeted).say('Привет!');
    expect(textsOf(result)).toEqual(['Здравствуйте! Я бот магазина.']);
    expect(result.outcome).toBe('answered');
    expect(result.session.data).toEqual({ $greeted: true });
  });

  test('later turns are not greeted again', async () => {
    const chat = await converseAfter(greeted, ['Привет!']);
    const second = await chat.say('сколько стоит доставка');
    expect(textsOf(second)).toEqual(['Доставка 300 ₽.']);
    const third = await chat.say('абракадабра');
    expect(third.outcome).toBe('missed');
  });
});
