import { type CollectType, collect, collectTypes, faq, gotoPayload } from '../../../../bot-flows/blocks';
import { defineFlow, handoffPayload } from '../../../../bot-flows/engine';
import { buttonsOf, converse, converseAfter, textsOf } from './converse';

const orderNumber = collect({
  id: 'order-number',
  ask: 'Введите номер заказа (6 цифр).',
  pattern: '^\\d{6}$',
  error: 'Номер заказа — 6 цифр.',
  maxTries: 2,
  done: { reply: 'Заказ {{value}} в пути.', buttons: [{ label: 'Оператор', handoff: true }] },
});
const shopFaq = faq({
  entries: [
    { id: 'status', questions: ['Где мой заказ?'], answer: orderNumber.start },
    { id: 'delivery', questions: ['Сколько стоит доставка?'], answer: 'Доставка 300 ₽.' },
  ],
});
const flow = defineFlow({ name: 'collect', middleware: [orderNumber, shopFaq], handoff: { afterMisses: 2 } });

describe('collect', () => {
  test('asks, then takes a valid answer: stored under its id and answered with the value', async () => {
    const chat = converse(flow);
    const asked = await chat.say('где мой заказ?');
    expect(textsOf(asked)).toEqual(['Введите номер заказа (6 цифр).']);
    expect(asked.session.data).toEqual({ $collect: { id: 'order-number', tries: 0 } });
    const answered = await chat.say(' 123456 ');
    expect(textsOf(answered)).toEqual(['Заказ 123456 в пути.']);
    expect(buttonsOf(answered)).toEqual([`Оператор → ${handoffPayload}`]);
    expect(answered.session.data).toEqual({ 'order-number': '123456' });
  });

  test('its goto button starts it', async () => {
    const asked = await converse(flow).press(gotoPayload('order-number'), 'Статус заказа');
    expect(textsOf(asked)).toEqual(['Введите номер заказа (6 цифр).']);
  });

  test('an invalid answer gets the error; after maxTries invalid answers the conversation is handed off', async () => {
    const chat = await converseAfter(flow, ['где мой заказ']);
    const first = await chat.say('12345');
    expect(textsOf(first)).toEqual(['Номер заказа — 6 цифр.']);
    expect(first.session.data).toEqual({ $collect: { id: 'order-number', tries: 1 } });
    const second = await chat.say('1234567');
    expect(second.handoff).toEqual({ reason: 'collect-failed' });
    expect(textsOf(second)).toEqual(['Передаю ваш вопрос оператору, он ответит здесь же.']);
  });

  test('the whole answer must match the pattern, and a very long answer is invalid before it runs', async () => {
    const chat = await converseAfter(flow, ['где мой заказ']);
    expect(textsOf(await chat.say('заказ 123456'))).toEqual(['Номер заказа — 6 цифр.']);
    const long = await converseAfter(flow, ['где мой заказ']);
    expect(textsOf(await long.say('1'.repeat(300)))).toEqual(['Номер заказа — 6 цифр.']);
  });

  test('a pattern that backtracks catastrophically counts the answer as not valid instead of running on', async () => {
    const catastrophic = collect({
      id: 'code',
      ask: 'Код?',
      pattern: '(a+)+b',
      error: 'Не тот код.',
      done: { reply: 'Код {{value}} принят.' },
    });
    const codeFlow = defineFlow({ name: 'code', middleware: [catastrophic] });
    const chat = converse(codeFlow);
    await chat.press(gotoPayload('code'), 'Код');
    expect(textsOf(await chat.say(`${'a'.repeat(200)}!`))).toEqual(['Не тот код.']);
    expect(textsOf(await chat.say('aaab'))).toEqual(['Код aaab принят.']);
  });

  test('a hand-off word while collecting still hands off', async () => {
    const chat = await converseAfter(flow, ['где мой заказ']);
    const result = await chat.say('позовите оператора');
    expect(result.handoff).toEqual({ reason: 'keyword' });
  });

  test('a button pressed while collecting drops the question and is handled by its target', async () => {
    const chat = await converseAfter(flow, ['где мой заказ']);
    const result = await chat.press(gotoPayload('delivery'), 'Доставка');
    expect(textsOf(result)).toEqual(['Доставка 300 ₽.']);
    expect(result.session.data).toEqual({});
    expect((await chat.say('123456')).outcome).toBe('missed');
  });

  test('done can be a function of the value, and done.handoff hands off after the reply', async () => {
    const phone = collect({
      id: 'phone',
      ask: 'Ваш телефон?',
      type: 'phone',
      error: 'Не похоже на телефон.',
      done: { reply: 'Перезвоним на {{value}}.', handoff: true },
    });
    const chat = converse(defineFlow({ name: 'phone', middleware: [phone] }));
    await chat.press(gotoPayload('phone'));
    const result = await chat.say('8 (916) 123-45-67');
    expect(textsOf(result)[0]).toBe('Перезвоним на +79161234567.');
    expect(result.handoff).toEqual({ reason: 'collect' });
    const email = collect({
      id: 'email',
      ask: 'E-mail?',
      type: 'email',
      error: 'Нет.',
      done: (ctx, value) => ctx.reply(`Записал ${value.toUpperCase()}`),
    });
    const other = converse(defineFlow({ name: 'email', middleware: [email] }));
    await other.press(gotoPayload('email'));
    expect(textsOf(await other.say('anna@example.ru'))).toEqual(['Записал ANNA@EXAMPLE.RU']);
  });

  test('a pattern that does not compile or a maxTries below 1 is refused', () => {
    const base = { id: 'x', ask: '?', error: '!', done: { reply: 'ok' } };
    expect(() => collect({ ...base, pattern: '(' })).toThrow('collect: "x": the pattern does not compile');
    expect(() => collect({ ...base, maxTries: 0 })).toThrow('maxTries must be a whole number ≥ 1');
  });
});

describe('collect types', () => {
  test.each<[CollectType, string, string | null]>([
    ['number', '5 000', '5000'],
    ['number', '12,5', '12.5'],
    ['number', 'пять', null],
    ['phone', '+7 916 123-45-67', '+79161234567'],
    ['phone', '89161234567', '+79161234567'],
    ['phone', '9161234567', '+79161234567'],
    ['phone', '+44 20 7946 0958', '+442079460958'],
    ['phone', '12345', null],
    ['email', ' anna@example.ru ', 'anna@example.ru'],
    ['email', 'anna@example', null],
    ['date', '08.03.2026', '2026-03-08'],
    ['date', '2026-3-8', '2026-03-08'],
    ['date', '31.02.2026', null],
    ['date', 'завтра', null],
    ['order-number', '№ ab-1234', 'AB-1234'],
    ['order-number', '#123456', '123456'],
    ['order-number', '12', null],
    ['text', '  Анна  ', 'Анна'],
    ['text', '   ', null],
  ])('%s: "%s" → %s', (type, answer, expected) => {
    expect(collectTypes[type](answer)).toBe(expected);
  });
});
