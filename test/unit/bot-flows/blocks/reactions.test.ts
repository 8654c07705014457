import { FlowBlockError, faq, gotoPayload, menu, onPayload, reaction } from '../../../../bot-flows/blocks';
import { type BotReplyContext, type BotTurnResult, defineFlow } from '../../../../bot-flows/engine';
import { converse, textsOf } from './converse';

const cardOperation: BotReplyContext = {
  kind: 'notification',
  name: 'card_operation',
  text: 'Операция по карте *1234 на 5 000 ₽ в OZON. Это вы?',
};

const main = menu({ id: 'main', text: 'Чем помочь?', options: [{ label: 'Лимиты', goto: 'limits' }] });
const bank = defineFlow({
  name: 'bank',
  notifications: ['card_operation'],
  middleware: [
    reaction({ payload: 'confirm', texts: ['да', 'это я'], reply: 'Спасибо, операция подтверждена.' }),
    reaction({
      payload: 'deny',
      texts: ['нет', 'это не я'],
      reply: 'Карта временно заблокирована, соединяю с сотрудником…',
      handoff: 'card-operation-denied',
    }),
    reaction({ keywords: ['главное меню'], run: main.show }),
    main,
    faq({
      entries: [{ id: 'limits', questions: ['Какие лимиты по карте?'], answer: 'До 300 000 ₽ в сутки.' }],
    }),
  ],
});

describe('reactions to a notification', () => {
  const denied = [
    'Карта временно заблокирована, соединяю с сотрудником…',
    'Передаю ваш вопрос оператору, он ответит здесь же.',
  ];
  type Answer = (chat: ReturnType<typeof converse>) => Promise<BotTurnResult>;

  test.each<[string, Answer, string[], BotTurnResult['handoff']]>([
    ['confirm pressed', (chat) => chat.press('confirm', 'Да'), ['Спасибо, операция подтверждена.'], null],
    ['"Да!" typed', (chat) => chat.say('Да!'), ['Спасибо, операция подтверждена.'], null],
    ['deny pressed', (chat) => chat.press('deny', 'Нет'), denied, { reason: 'card-operation-denied' }],
    ['"Это НЕ я." typed', (chat) => chat.say('Это НЕ я.'), denied, { reason: 'card-operation-denied' }],
  ])('%s: a reply, and a hand-off with its reason where asked', async (_, answer, texts, handoff) => {
    const result = await answer(converse(bank, { replyTo: cardOperation }));
    expect(textsOf(result)).toEqual(texts);
    expect(result.handoff).toEqual(handoff);
  });

  test('texts are whole answers: a longer message that contains "да" or "нет" goes on to the FAQ', async () => {
    const result = await converse(bank).say('нет, я про лимиты по карте');
    expect(result.handoff).toBeNull();
    expect(textsOf(result)).toEqual(['До 300 000 ₽ в сутки.']);
  });

  test('keywords are found anywhere in a message and can run another block', async () => {
    const result = await converse(bank).say('покажи главное меню пожалуйста');
    expect(textsOf(result)).toEqual(['Чем помочь?']);
    expect(result.replies[0]?.buttons).toEqual([{ label: 'Лимиты', payload: gotoPayload('limits') }]);
  });

  test('replyTo limits a reaction to answers to that notification', async () => {
    const only = defineFlow({
      name: 'only',
      middleware: [reaction({ texts: ['да'], replyTo: 'card_operation', reply: 'Подтверждено.' })],
    });
    expect(textsOf(await converse(only, { replyTo: cardOperation }).say('да'))).toEqual(['Подтверждено.']);
    expect((await converse(only).say('да')).outcome).toBe('missed');
  });

  test('a reaction needs a trigger', () => {
    expect(() => reaction({ reply: 'ok' })).toThrow(FlowBlockError);
  });
});

describe('onPayload', () => {
  test('runs its handler for its payloads only', async () => {
    const rated = defineFlow({
      name: 'rated',
      middleware: [
        onPayload(['rate:good', 'rate:bad'], (ctx) => {
          ctx.state.rating = ctx.message.payload;
          ctx.reply('Спасибо за оценку!');
        }),
      ],
    });
    const result = await converse(rated).press('rate:good', '👍');
    expect(textsOf(result)).toEqual(['Спасибо за оценку!']);
    expect(result.session.data).toEqual({ rating: 'rate:good' });
    expect((await converse(rated).press('rate:meh')).outcome).toBe('missed');
    expect((await converse(rated).say('rate:good')).outcome).toBe('missed');
  });
});
