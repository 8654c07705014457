import { type BotMiddleware, defineFlow, handoffPayload } from '../../../../bot-flows/engine';
import { ButtonNotOffered, createChatSession } from '../../../../bot-flows/testing';

const topics = [
  { label: 'Доставка', payload: 'delivery' },
  { label: 'Оплата', payload: 'payment' },
];

/** Answers "меню" with two buttons, the buttons' payloads with texts, counts turns in ctx.state. */
const shop: BotMiddleware = async (ctx, next) => {
  ctx.state.turns = Number(ctx.state.turns ?? 0) + 1;
  if (ctx.message.payload === 'delivery') return ctx.reply('Доставка по Москве — 300 ₽');
  if (ctx.message.payload === 'payment') return ctx.reply('Оплата картой или при получении');
  if (ctx.message.replyTo?.name === 'card_operation')
    return ctx.reply(`ответ на ${ctx.message.replyTo.name}`);
  if (/меню/.test(ctx.message.text)) return ctx.reply('Выберите тему', { buttons: topics });
  await next();
};

const flow = (middleware: BotMiddleware[] = [shop]) =>
  defineFlow({
    name: 'shop-test',
    middleware,
    handoff: { afterMisses: 2 },
    businessHours: {
      isOpen: (at) => at.getUTCHours() >= 6 && at.getUTCHours() < 15,
      closedMessage: () => 'Операторы отвечают с 9:00 до 18:00 МСК.',
    },
  });

const noon = new Date('2026-11-23T12:00:00+03:00');
const night = new Date('2026-11-23T23:00:00+03:00');

describe('createChatSession', () => {
  test('replies show their buttons as the channel does: labels on Telegram, numbered lines on SMS', async () => {
    const telegram = createChatSession(flow(), { channel: 'telegram', now: noon });
    const sms = createChatSession(flow(), { channel: 'sms', now: noon });
    const onTelegram = await telegram.send('меню');
    const onSms = await sms.send('меню');
    expect(onTelegram.replies[0]?.options).toEqual(['Доставка', 'Оплата']);
    expect(onTelegram.replies[0]?.rendered.numbered).toBe(false);
    expect(onSms.replies[0]?.options).toEqual(['1. Доставка', '2. Оплата']);
    expect(onSms.replies[0]?.rendered.text).toContain('Выберите тему\n\n1. Доставка\n2. Оплата');
    expect(onSms.replies[0]?.text).toBe('Выберите тему');
  });

  test('a typed number picks an offered button; press takes a label, a number or a payload', async () => {
    const session = createChatSession(flow(), { channel: 'sms', now: noon });
    await session.send('меню');
    const typed = await session.send('2');
    expect(typed.message).toMatchObject({ kind: 'button', payload: 'payment', text: 'Оплата' });
    expect(typed.replies.map((reply) => reply.text)).toEqual(['Оплата картой или при получении']);
    await session.send('меню');
    expect((await session.press('доставка')).replies[0]?.text).toBe('Доставка по Москве — 300 ₽');
    await session.send('меню');
    expect((await session.press(2)).message.payload).toBe('payment');
    await session.send('меню');
    expect((await session.press('delivery')).message.text).toBe('Доставка');
  });

  test('a number nobody offered is refused; an unknown string goes as a raw payload', async () => {
    const session = createChatSession(flow(), { channel: 'telegram', now: noon });
    await session.send('меню');
    expect(session.buttonFor(3)).toBeNull();
    await expect(session.press(3)).rejects.toBeInstanceOf(ButtonNotOffered);
    const raw = await session.press('payment-old');
    expect(raw.message).toMatchObject({ kind: 'button', text: 'payment-old', payload: 'payment-old' });
  });

  test('ctx.state is kept between turns and across a flow swap (hot reload), and reset starts afresh', async () => {
    const session = createChatSession(flow(), { channel: 'telegram', now: noon });
    await session.send('меню');
    await session.press('Доставка');
    expect(session.state.session.data).toEqual({ turns: 2 });
    session.setFlow(flow());
    await session.send('меню');
    expect(session.state.session.data).toEqual({ turns: 3 });
    session.reset();
    expect(session.state).toMatchObject({ owner: 'bot', messages: 0, session: { data: {}, misses: 0 } });
  });

  test('after a hand-off the operators own the conversation and the flow is not run again', async () => {
    let runs = 0;
    const counting: BotMiddleware = async (_ctx, next) => {
      runs += 1;
      await next();
    };
    const session = createChatSession(flow([counting, shop]), { channel: 'telegram', now: noon });
    const handoff = await session.send('позовите оператора');
    expect(handoff.handoff).toEqual({ reason: 'keyword' });
    expect(session.state).toMatchObject({ owner: 'operators', handoff: { reason: 'keyword' } });
    const after = await session.send('меню');
    expect(after).toMatchObject({ outcome: 'operators', replies: [], handoff: null });
    expect(runs).toBe(0);
    session.reset();
    await session.send('меню');
    expect(runs).toBe(1);
  });

  test('misses hand off after afterMisses, offering the hand-off button before that', async () => {
    const session = createChatSession(flow(), { channel: 'telegram', now: noon });
    const first = await session.send('абракадабра');
    expect(first.outcome).toBe('missed');
    expect(session.state.offered).toEqual([{ label: 'Позвать оператора', payload: handoffPayload }]);
    const second = await session.send('снова непонятно');
    expect(second.handoff).toEqual({ reason: 'misses' });
  });

  test('the clock decides business hours: a hand-off at night adds the hours', async () => {
    const session = createChatSession(flow(), { channel: 'telegram', now: night });
    const atNight = await session.press({ label: 'Позвать оператора', payload: handoffPayload });
    expect(atNight.replies.map((reply) => reply.text)).toEqual([
      'Передаю ваш вопрос оператору, он ответит здесь же.',
      'Операторы отвечают с 9:00 до 18:00 МСК.',
    ]);
    session.reset();
    session.setNow(noon);
    expect((await session.send('оператор')).replies).toHaveLength(1);
  });

  test('replyTo reaches the first message only, and the notification buttons can be pressed first', async () => {
    const replyTo = {
      kind: 'notification' as const,
      name: 'card_operation',
      text: 'Покупка 5 000 ₽. Это вы?',
      buttons: [{ label: 'Нет', payload: 'deny' }],
    };
    const session = createChatSession(flow(), { channel: 'telegram', now: noon, replyTo });
    expect(session.buttonFor('Нет')).toEqual({ label: 'Нет', payload: 'deny' });
    const first = await session.press('Нет');
    expect(first.message).toEqual({
      kind: 'button',
      text: 'Нет',
      payload: 'deny',
      replyTo: { kind: 'notification', name: 'card_operation', text: 'Покупка 5 000 ₽. Это вы?' },
    });
    expect((await session.send('меню')).message.replyTo).toBeNull();
  });

  test('a throwing flow hands off with flow-error and the error', async () => {
    const throwing: BotMiddleware = () => {
      throw new TypeError('boom');
    };
    const session = createChatSession(flow([throwing]), { channel: 'vk', now: noon });
    const turn = await session.send('привет');
    expect(turn).toMatchObject({ outcome: 'error', handoff: { reason: 'flow-error' } });
    expect(turn.error).toBeInstanceOf(TypeError);
    expect(session.state.owner).toBe('operators');
  });
});
