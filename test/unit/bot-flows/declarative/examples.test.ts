import { telegramCapabilities } from '../../../../adapters/telegram/capabilities';
import { vkCapabilities } from '../../../../adapters/vk/capabilities';
import { whatsappCapabilities } from '../../../../adapters/whatsapp/capabilities';
import { gotoPayload } from '../../../../bot-flows/blocks';
import { loadFlowFile } from '../../../../bot-flows/declarative';
import {
  type BotFlow,
  type BotReplyContext,
  type BotTurnResult,
  handoffPayload,
  renderReply,
} from '../../../../bot-flows/engine';
import shopFaqTs from '../../../../bot-flows/examples/shop-faq';
import { buttonsOf, converse, converseAfter, textsOf, tuesdayNoonMoscow } from '../blocks/converse';

let shop: BotFlow;
let bank: BotFlow;

beforeAll(async () => {
  shop = await loadFlowFile('bot-flows/examples/shop-faq.yaml');
  bank = await loadFlowFile('bot-flows/examples/bank-followup.yaml');
});

/** A chat whose greeting has already been said, so a turn's replies are its answer alone. */
const greeted = (flow: BotFlow, options: Parameters<typeof converse>[1] = {}) =>
  converseAfter(flow, ['Здравствуйте'], options);

describe('shop-faq.yaml', () => {
  test('compiles with its entries, hand-off policy and hours', () => {
    expect(shop.name).toBe('shop-faq');
    expect(shop.entries.length).toBeGreaterThanOrEqual(15);
    expect(shop.entries[0]).toEqual({ id: 'delivery-cost', title: 'Сколько стоит доставка?' });
    expect(shop.handoff).toMatchObject({ afterMisses: 2, buttonLabel: 'Позвать оператора' });
    expect(shop.businessHours?.isOpen(tuesdayNoonMoscow)).toBe(true);
  });

  test.each([
    ['Сколько стоит доставка?', 'delivery-cost'],
    ['скока стоит дотавка', 'delivery-cost'],
    ['Когда привезут заказ', 'delivery-time'],
    ['доставляете в Новосибирск?', 'delivery-regions'],
    ['есть самовывоз?', 'pickup-points'],
    ['Как вернуть товар?', 'returns'],
    ['когда вернёте деньги', 'refund'],
    ['когда вернете деньги', 'refund'],
    ['можно оплатить через СБП?', 'payment-methods'],
    ['оплата наличными курьеру', 'cash-on-delivery'],
    ['не проходит оплата картой', 'payment-failed'],
    ['Когда вы работаете?', 'opening-hours'],
    ['промокод не работает', 'promo-code'],
    ['How much is delivery?', 'delivery-cost'],
    ['how do I return an item', 'returns'],
    ['can I pay by card?', 'payment-methods'],
  ])('"%s" → %s', async (text, entryId) => {
    const result = await (await greeted(shop)).say(text);
    expect(result.match).toMatchObject({ entryId });
    expect(result.outcome).toBe('answered');
  });

  test('the first message gets the greeting with its buttons and the answer', async () => {
    const result = await converse(shop).say('Добрый день! Сколько стоит доставка?');
    expect(textsOf(result)).toHaveLength(2);
    expect(textsOf(result)[0]).toMatch(/^Здравствуйте! Я бот магазина «Лавка»/);
    expect(result.replies[0]?.buttons?.map((button) => button.label)).toEqual([
      'Доставка',
      'Статус заказа',
      'Возврат',
      'Оплата',
      'Оператор',
    ]);
    expect(result.match).toMatchObject({ entryId: 'delivery-cost' });
  });

  test('the greeting’s buttons per channel: Telegram inline, VK keyboard, WhatsApp numbered (5 > 3)', async () => {
    const greeting = (await converse(shop).say('Привет')).replies[0];
    if (!greeting) throw new Error('no greeting');
    expect(renderReply(greeting, telegramCapabilities).buttons.map((button) => button.kind)).toEqual(
      Array(5).fill('callback'),
    );
    expect(renderReply(greeting, vkCapabilities).buttons).toHaveLength(5);
    const whatsapp = renderReply(greeting, whatsappCapabilities());
    expect(whatsapp.numbered).toBe(true);
    expect(whatsapp.text).toContain('\n1. Доставка\n2. Статус заказа\n3. Возврат\n4. Оплата\n5. Оператор\n');
  });

  test('order status: asks for the number, retries on a wrong one, answers with the value', async () => {
    const chat = await greeted(shop);
    expect(textsOf(await chat.say('где мой заказ?'))).toEqual([
      'Введите номер заказа — 6 цифр, он есть в письме и SMS о заказе.',
    ]);
    expect(textsOf(await chat.say('12-34'))[0]).toMatch(/^Номер заказа — это 6 цифр/);
    const answered = await chat.say('654321');
    expect(textsOf(answered)[0]).toMatch(
      /^Заказ №654321: статус и трек-номер .* lavka\.example\/orders\/654321\./,
    );
    expect(buttonsOf(answered)).toEqual([
      `Позвать оператора → ${handoffPayload}`,
      `Главное меню → ${gotoPayload('main')}`,
    ]);
    expect(answered.session.data['order-number']).toBe('654321');
  });

  test('the greeting’s "Статус заказа" button (typed as its number) starts the same question', async () => {
    const chat = await converseAfter(shop, ['Привет']);
    expect(textsOf(await chat.say('2'))[0]).toMatch(/^Введите номер заказа/);
  });

  test('menus: a keyword shows the main menu, its "Доставка" opens the delivery menu', async () => {
    const chat = await greeted(shop);
    expect(textsOf(await chat.say('меню'))).toEqual(['Чем могу помочь?']);
    const delivery = await chat.say('1');
    expect(textsOf(delivery)).toEqual(['Что рассказать о доставке?']);
    expect(delivery.replies[0]?.buttons?.map((button) => button.label)).toEqual([
      'Стоимость',
      'Сроки',
      'Регионы',
      'Пункты выдачи',
    ]);
  });

  test('two questions not understood hand off; in business hours without the closed message', async () => {
    const chat = await greeted(shop);
    const first = await chat.say('какая погода на марсе');
    expect(first.outcome).toBe('missed');
    expect(buttonsOf(first)).toEqual([`Позвать оператора → ${handoffPayload}`]);
    const second = await chat.say('а на юпитере');
    expect(second.handoff).toEqual({ reason: 'misses' });
    expect(textsOf(second)).toEqual([
      'Соединяю с оператором — он ответит здесь же, обычно в течение нескольких минут.',
    ]);
  });

  test('"оператор" on a Sunday evening hands off with the hours', async () => {
    const sundayEvening = new Date('2026-03-08T17:00:00Z'); // 20:00 in Moscow; Sunday hours end at 18:00
    const result = await (await greeted(shop, { now: sundayEvening })).say('позовите оператора');
    expect(result.handoff).toEqual({ reason: 'keyword' });
    expect(textsOf(result)[1]).toBe(
      'Сейчас операторы не работают. Часы работы: пн–пт 09:00–21:00, сб–вс 10:00–18:00 (Europe/Moscow). ' +
        'Мы ответим, как только начнём работу.',
    );
  });
});

describe('bank-followup.yaml', () => {
  const cardOperation: BotReplyContext = {
    kind: 'notification',
    name: 'card_operation',
    text: 'Операция по карте *1234 на 5 000 ₽ в OZON. Это вы?',
  };

  test('answers replies to the card_operation notification', () => {
    expect(bank.notifications).toEqual(['card_operation']);
    expect(bank.entries.map((entry) => entry.id)).toEqual(['unblock-card', 'card-limits', 'card-reissue']);
  });

  const confirmed = 'Спасибо, операция подтверждена. Если появятся вопросы по карте — пишите сюда.';
  const denied = [
    'Карта временно заблокирована, соединяю с сотрудником банка. Он поможет оспорить операцию и перевыпустить карту.',
    'Сотрудник банка подключится к диалогу в течение нескольких минут.',
  ];
  type Answer = (chat: ReturnType<typeof converse>) => Promise<BotTurnResult>;

  test.each<[string, Answer, string[], BotTurnResult['handoff']]>([
    ['"Да" pressed', (chat) => chat.press('confirm', 'Да'), [confirmed], null],
    ['"да, это я" typed', (chat) => chat.say('да, это я'), [confirmed], null],
    ['"Нет" pressed', (chat) => chat.press('deny', 'Нет'), denied, { reason: 'reaction' }],
    ['"Нет, это не я!" typed', (chat) => chat.say('Нет, это не я!'), denied, { reason: 'reaction' }],
    ['"no" typed', (chat) => chat.say('no'), denied, { reason: 'reaction' }],
  ])(
    '%s: confirm thanks and ends there, deny blocks the card and hands off',
    async (_, answer, texts, handoff) => {
      const result = await answer(converse(bank, { replyTo: cardOperation }));
      expect(textsOf(result)).toEqual(texts);
      expect(result.handoff).toEqual(handoff);
    },
  );

  test('questions about the card are answered from its FAQ', async () => {
    const chat = converse(bank, { replyTo: cardOperation });
    expect((await chat.say('как разблокировать карту?')).match).toMatchObject({ entryId: 'unblock-card' });
    expect((await chat.say('какой лимит на снятие наличных')).match).toMatchObject({
      entryId: 'card-limits',
    });
    expect((await chat.say('I lost my card')).match).toMatchObject({ entryId: 'card-reissue' });
  });

  test('an answer it does not understand gets the hint, then hands off', async () => {
    const chat = converse(bank, { replyTo: cardOperation });
    expect(textsOf(await chat.say('а что это было?'))[0]).toMatch(
      /^Ответьте «да», если операцию совершили вы/,
    );
    expect((await chat.say('не знаю')).handoff).toEqual({ reason: 'misses' });
  });
});

describe('shop-faq.ts (the TypeScript example)', () => {
  test('is a flow built from the blocks', async () => {
    expect(shopFaqTs.name).toBe('shop-faq-ts');
    expect(shopFaqTs.entries.map((entry) => entry.id)).toEqual([
      'delivery',
      'order-status',
      'returns',
      'payment',
    ]);
    const chat = converse(shopFaqTs);
    const first = await chat.say('Где мой заказ?');
    expect(textsOf(first)).toEqual([
      'Здравствуйте! Я бот магазина «Лавка». Спросите про доставку, оплату или возврат.',
      'Введите номер заказа — 6 цифр, он есть в письме и SMS о заказе.',
    ]);
    expect(textsOf(await chat.say('123456'))).toEqual([
      'Заказ №123456: статус и трек-номер — на lavka.example/orders/123456.',
    ]);
    expect(textsOf(await chat.press('rate:good', '👍'))).toEqual(['Спасибо за оценку!']);
    expect(textsOf(await chat.say('меню'))).toEqual(['Чем могу помочь?']);
    expect(textsOf(await chat.say('3'))).toEqual([
      'Операторы работают пн–пт 09:00–21:00, сб–вс 10:00–18:00 (МСК).',
    ]);
  });
});
