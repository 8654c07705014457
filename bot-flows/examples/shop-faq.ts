/**
 * The shop FAQ as a programmer writes it: building blocks composed with `defineFlow`. A smaller
 * cousin of `shop-faq.yaml` (the declarative form compiles to the same blocks). Built to
 * `dist/bot-flows/examples/shop-faq.js`, it loads like any flow module:
 * `vestnik bot chat dist/bot-flows/examples/shop-faq.js`.
 */
import {
  businessHours,
  collect,
  type FaqEntry,
  faq,
  gotoPayload,
  greeting,
  menu,
  onPayload,
} from '../blocks';
import { defineFlow, handoffPayload } from '../engine';

const orderNumber = collect({
  id: 'order-number',
  ask: 'Введите номер заказа — 6 цифр, он есть в письме и SMS о заказе.',
  pattern: /^\d{6}$/,
  error: 'Номер заказа — это 6 цифр, например 123456. Попробуйте ещё раз.',
  done: (ctx, value) =>
    ctx.reply(`Заказ №${value}: статус и трек-номер — на lavka.example/orders/${value}.`, {
      buttons: [{ label: 'Позвать оператора', payload: handoffPayload }],
    }),
});

const entries: FaqEntry[] = [
  {
    id: 'delivery',
    questions: ['Сколько стоит доставка?', 'Когда привезут заказ?', 'How much is delivery?'],
    keywords: ['доставка', 'курьер'],
    answer: 'Доставка по Москве — 300 ₽, бесплатно от 3000 ₽. Привозим на следующий день.',
    buttons: [{ label: 'Статус заказа', goto: 'order-number' }],
  },
  {
    id: 'order-status',
    questions: ['Где мой заказ?', 'Статус заказа', 'Where is my order?'],
    answer: orderNumber.start,
  },
  {
    id: 'returns',
    questions: ['Как вернуть товар?', 'Условия возврата', 'How do I return an item?'],
    keywords: ['возврат', 'вернуть'],
    answer: 'Вернуть товар можно в течение 14 дней: «Мои заказы» → «Вернуть», затем в пункт выдачи.',
  },
  {
    id: 'payment',
    questions: ['Как оплатить заказ?', 'Можно картой?', 'Can I pay by card?'],
    keywords: ['оплата', 'сбп'],
    answer: 'Картой на сайте, через СБП или при получении — картой или наличными.',
  },
];

const shopFaq = faq({ entries, threshold: 0.5, synonyms: [['доставка', 'привоз', 'курьер']] });

export default defineFlow({
  name: 'shop-faq-ts',
  description: 'FAQ магазина на building blocks (TypeScript)',
  middleware: [
    greeting({
      text: 'Здравствуйте! Я бот магазина «Лавка». Спросите про доставку, оплату или возврат.',
      buttons: [
        { label: 'Доставка', goto: 'delivery' },
        { label: 'Меню', goto: 'main' },
        { label: 'Оператор', handoff: true },
      ],
    }),
    orderNumber,
    // A custom payload, handled by hand: the "rate us" buttons of a mailing.
    onPayload(['rate:good', 'rate:bad'], (ctx) => {
      ctx.state.rating = ctx.message.payload;
      ctx.reply('Спасибо за оценку!');
    }),
    menu({
      id: 'main',
      text: 'Чем могу помочь?',
      keywords: ['меню', 'menu', 'start'],
      options: [
        { label: 'Доставка', goto: 'delivery' },
        { label: 'Статус заказа', goto: 'order-number' },
        { label: 'Часы работы', answer: 'Операторы работают пн–пт 09:00–21:00, сб–вс 10:00–18:00 (МСК).' },
        { label: 'Сайт', url: 'https://lavka.example' },
      ],
    }),
    shopFaq,
    // Reached only when nothing above answered: a hint towards the menu, not counted as a miss.
    async (ctx, next) => {
      if (ctx.message.kind === 'text' && ctx.message.text.trim() === '?')
        ctx.reply('Напишите вопрос или откройте меню.', {
          buttons: [{ label: 'Меню', payload: gotoPayload('main') }],
        });
      else await next();
    },
  ],
  handoff: { afterMisses: 2 },
  businessHours: businessHours({
    timezone: 'Europe/Moscow',
    days: {
      mon: '09:00-21:00',
      tue: '09:00-21:00',
      wed: '09:00-21:00',
      thu: '09:00-21:00',
      fri: '09:00-21:00',
      sat: '10:00-18:00',
      sun: '10:00-18:00',
    },
  }),
  fallback: 'Не понял вопрос. Переформулируйте или напишите «меню».',
  entries: shopFaq.entries,
});
