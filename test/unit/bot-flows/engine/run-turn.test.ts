import {
  type BotMiddleware,
  type BotTurnInput,
  defineFlow,
  handoffPayload,
  NextCalledTwiceError,
  runTurn,
} from '../../../../bot-flows/engine';

const now = new Date('2026-11-23T10:00:00Z');

function input(
  text: string,
  session: BotTurnInput['session'] = null,
  payload: string | null = null,
): BotTurnInput {
  return {
    conversation: { id: 'c1', channelId: 'ch1', channelType: 'telegram' },
    contact: { id: 'p1', name: 'Анна' },
    message: { kind: payload ? 'button' : 'text', text, payload, replyTo: null },
    session,
    now,
  };
}

/** Answers "доставка" and offers two buttons; everything else is left to later steps. */
const delivery: BotMiddleware = async (ctx, next) => {
  if (ctx.message.payload === 'pay') return ctx.reply('Картой или СБП.');
  if (!ctx.message.text.toLowerCase().includes('доставка')) return next();
  ctx.state.asked = ((ctx.state.asked as number | undefined) ?? 0) + 1;
  ctx.reply('Доставка 300 ₽.', {
    buttons: [
      { label: 'Оплата', payload: 'pay' },
      { label: 'Возврат', payload: 'refund' },
    ],
  });
};

const flow = defineFlow({ name: 'shop', middleware: [delivery], handoff: { afterMisses: 2 } });

describe('runTurn', () => {
  test('middleware run in order and a reply counts as an answer', async () => {
    const order: string[] = [];
    const traced = defineFlow({
      name: 'traced',
      middleware: [
        async (_ctx, next) => {
          order.push('a');
          await next();
          order.push('a-after');
        },
        (ctx) => {
          order.push('b');
          ctx.reply('hi');
        },
        () => order.push('never'),
      ],
    });
    const result = await runTurn(traced, input('hello'));
    expect(order).toEqual(['a', 'b', 'a-after']);
    expect(result.outcome).toBe('answered');
    expect(result.replies).toEqual([{ text: 'hi' }]);
  });

  test('state persists between turns and a typed number picks an offered button', async () => {
    const first = await runTurn(flow, input('Сколько стоит доставка?'));
    expect(first.session.data).toEqual({ asked: 1 });
    expect(first.session.options.map((option) => option.payload)).toEqual(['pay', 'refund']);
    const second = await runTurn(flow, input(' 1. ', first.session));
    expect(second.message).toMatchObject({ kind: 'button', payload: 'pay', text: 'Оплата' });
    expect(second.replies).toEqual([{ text: 'Картой или СБП.' }]);
    const byLabel = await runTurn(flow, input('оплата', first.session));
    expect(byLabel.message.payload).toBe('pay');
  });

  test('a miss replies with the fallback and a hand-off button; N misses in a row hand off', async () => {
    const first = await runTurn(flow, input('какая погода?'));
    expect(first.outcome).toBe('missed');
    expect(first.session.misses).toBe(1);
    expect(first.replies[0]?.buttons).toEqual([{ label: 'Позвать оператора', payload: handoffPayload }]);
    const second = await runTurn(flow, input('а курс доллара?', first.session));
    expect(second.outcome).toBe('handoff');
    expect(second.handoff).toEqual({ reason: 'misses' });
    expect(second.replies.map((reply) => reply.text)).toEqual([flow.handoff.message]);
  });

  test('an answer resets the misses', async () => {
    const missed = await runTurn(flow, input('погода?'));
    const answered = await runTurn(flow, input('доставка', missed.session));
    expect(answered.session.misses).toBe(0);
  });

  test.each([
    ['позовите оператора', 'keyword'],
    ['I want a human operator', 'keyword'],
    ['опертор', 'keyword'],
  ])('"%s" hands off at once (%s), before the flow runs', async (text, reason) => {
    const result = await runTurn(flow, input(text));
    expect(result.handoff).toEqual({ reason });
    expect(result.outcome).toBe('handoff');
  });

  test('the hand-off button hands off', async () => {
    const result = await runTurn(flow, input('Позвать оператора', null, handoffPayload));
    expect(result.handoff).toEqual({ reason: 'button' });
  });

  test('outside business hours a hand-off also tells the hours', async () => {
    const closed = defineFlow({
      name: 'closed',
      middleware: [delivery],
      businessHours: { isOpen: () => false, closedMessage: () => 'Мы работаем пн–пт 9–18.' },
    });
    const result = await runTurn(closed, input('оператор'));
    expect(result.replies.map((reply) => reply.text)).toEqual([
      closed.handoff.message,
      'Мы работаем пн–пт 9–18.',
    ]);
    const open = defineFlow({
      name: 'open',
      middleware: [delivery],
      businessHours: { isOpen: () => true, closedMessage: () => 'x' },
    });
    expect((await runTurn(open, input('оператор'))).replies).toHaveLength(1);
  });

  test('a throwing flow sends nothing it prepared, keeps the state and hands off', async () => {
    const broken = defineFlow({
      name: 'broken',
      middleware: [
        (ctx) => {
          ctx.state.half = true;
          ctx.reply('half an answer');
          throw new TypeError('boom');
        },
      ],
    });
    const session = { data: { kept: 1 }, misses: 1, options: [] };
    const result = await runTurn(broken, input('доставка', session));
    expect(result.outcome).toBe('error');
    expect(result.error).toBeInstanceOf(TypeError);
    expect(result.handoff).toEqual({ reason: 'flow-error' });
    expect(result.replies.map((reply) => reply.text)).toEqual([broken.handoff.message]);
    expect(result.session).toEqual(session);
  });

  test('calling next() twice is an error of the flow', async () => {
    const twice = defineFlow({
      name: 'twice',
      middleware: [
        async (_ctx, next) => {
          await next();
          await next();
        },
        (ctx) => ctx.reply('x'),
      ],
    });
    const result = await runTurn(twice, input('x'));
    expect(result.error).toBeInstanceOf(NextCalledTwiceError);
  });

  test('state over 16 KiB is refused as an error', async () => {
    const hoarder = defineFlow({
      name: 'hoarder',
      middleware: [
        (ctx) => {
          ctx.state.blob = 'x'.repeat(20_000);
          ctx.reply('ok');
        },
      ],
    });
    expect((await runTurn(hoarder, input('x'))).outcome).toBe('error');
  });

  test('defineFlow refuses a bad name and a bad hand-off policy', () => {
    expect(() => defineFlow({ name: 'bad name', middleware: [delivery] })).toThrow(/must match/);
    expect(() => defineFlow({ name: 'ok', middleware: [] })).toThrow(/no middleware/);
    expect(() => defineFlow({ name: 'ok', middleware: [delivery], handoff: { afterMisses: 0 } })).toThrow(
      /afterMisses/,
    );
  });
});
