/**
 * Words and templates of the synthetic FAQ (`synthetic-faq.ts`): 25 services per language, each
 * asked about in 10 ways. Russian services come in the nominative, genitive and accusative
 * ({nom}, {gen}, {acc} in templates); English ones need one form ({x}).
 */

/** A Russian service name in the cases the templates use. */
export interface RussianTopic {
  nom: string;
  gen: string;
  acc: string;
}

/** One way of asking about a service: its slug, three example questions and a keyword template. */
export interface Aspect {
  slug: string;
  questions: readonly [string, string, string];
  keyword: string;
}

export const RUSSIAN_TOPICS: readonly RussianTopic[] = [
  ['доставка', 'доставки', 'доставку'],
  ['возврат товара', 'возврата товара', 'возврат товара'],
  ['подписка', 'подписки', 'подписку'],
  ['гарантия', 'гарантии', 'гарантию'],
  ['рассрочка', 'рассрочки', 'рассрочку'],
  ['установка кондиционера', 'установки кондиционера', 'установку кондиционера'],
  ['бронь столика', 'брони столика', 'бронь столика'],
  ['бонусная карта', 'бонусной карты', 'бонусную карту'],
  ['подарочный сертификат', 'подарочного сертификата', 'подарочный сертификат'],
  ['консультация юриста', 'консультации юриста', 'консультацию юриста'],
  ['примерка одежды', 'примерки одежды', 'примерку одежды'],
  ['сборка мебели', 'сборки мебели', 'сборку мебели'],
  ['замена экрана', 'замены экрана', 'замену экрана'],
  ['ремонт телефона', 'ремонта телефона', 'ремонт телефона'],
  ['страховка багажа', 'страховки багажа', 'страховку багажа'],
  ['экскурсия по музею', 'экскурсии по музею', 'экскурсию по музею'],
  ['аренда велосипеда', 'аренды велосипеда', 'аренду велосипеда'],
  ['регистрация аккаунта', 'регистрации аккаунта', 'регистрацию аккаунта'],
  ['абонемент в бассейн', 'абонемента в бассейн', 'абонемент в бассейн'],
  ['пробное занятие', 'пробного занятия', 'пробное занятие'],
  ['самовывоз', 'самовывоза', 'самовывоз'],
  ['обмен валюты', 'обмена валюты', 'обмен валюты'],
  ['предзаказ книги', 'предзаказа книги', 'предзаказ книги'],
  ['подарочная упаковка', 'подарочной упаковки', 'подарочную упаковку'],
  ['хранение шин', 'хранения шин', 'хранение шин'],
].map(([nom, gen, acc]) => ({ nom, gen, acc }) as RussianTopic);

export const ENGLISH_TOPICS: readonly string[] = [
  'delivery',
  'refund',
  'subscription',
  'warranty',
  'installment plan',
  'air conditioner installation',
  'table booking',
  'loyalty card',
  'gift card',
  'legal consultation',
  'clothes fitting',
  'furniture assembly',
  'screen replacement',
  'phone repair',
  'luggage insurance',
  'museum tour',
  'bike rental',
  'account registration',
  'pool membership',
  'trial lesson',
  'store pickup',
  'currency exchange',
  'book preorder',
  'gift wrapping',
  'tyre storage',
];

export const RUSSIAN_ASPECTS: readonly Aspect[] = [
  {
    slug: 'price',
    questions: ['Сколько стоит {nom}?', 'Какая стоимость {gen}?', 'Цена {gen}'],
    keyword: 'цена {gen}',
  },
  {
    slug: 'time',
    questions: ['Какие сроки {gen}?', 'Сколько дней ждать {acc}?', 'Когда будет {nom}?'],
    keyword: 'сроки {gen}',
  },
  {
    slug: 'order',
    questions: ['Как оформить {acc}?', 'Где заказать {acc}?', 'Хочу оформить {acc}'],
    keyword: 'оформление {gen}',
  },
  {
    slug: 'cancel',
    questions: ['Как отменить {acc}?', 'Можно ли отказаться от {gen}?', 'Отмена {gen}'],
    keyword: 'отмена {gen}',
  },
  {
    slug: 'terms',
    questions: ['Какие условия {gen}?', 'Правила {gen}', 'На каких условиях {nom}?'],
    keyword: 'условия {gen}',
  },
  {
    slug: 'problem',
    questions: ['Не работает {nom}, что делать?', 'Ошибка {gen}', 'Проблема {gen}, помогите'],
    keyword: 'ошибка {gen}',
  },
  {
    slug: 'documents',
    questions: ['Какие документы нужны для {gen}?', 'Нужен ли паспорт для {gen}?', 'Документы для {gen}'],
    keyword: 'документы {gen}',
  },
  {
    slug: 'regions',
    questions: ['Есть ли {nom} в регионах?', 'Работает ли {nom} в другом городе?', '{nom} в области'],
    keyword: '{nom} в регионах',
  },
  {
    slug: 'payment',
    questions: ['Как оплатить {acc}?', 'Способы оплаты {gen}', 'Можно ли оплатить {acc} картой?'],
    keyword: 'оплата {gen}',
  },
  {
    slug: 'change',
    questions: ['Как изменить {acc}?', 'Можно ли поменять {acc}?', 'Изменение {gen}'],
    keyword: 'изменение {gen}',
  },
];

export const ENGLISH_ASPECTS: readonly Aspect[] = [
  {
    slug: 'price',
    questions: ['How much does {x} cost?', 'What is the price of {x}?', '{x} price'],
    keyword: '{x} price',
  },
  {
    slug: 'time',
    questions: ['How long does {x} take?', 'When will my {x} be ready?', '{x} timing'],
    keyword: '{x} timing',
  },
  {
    slug: 'order',
    questions: ['How do I order {x}?', 'Where can I get {x}?', 'I want to arrange {x}'],
    keyword: 'arrange {x}',
  },
  {
    slug: 'cancel',
    questions: ['How do I cancel {x}?', 'Can I cancel my {x}?', 'Cancel {x}'],
    keyword: 'cancel {x}',
  },
  {
    slug: 'terms',
    questions: ['What are the terms of {x}?', '{x} rules', 'Conditions for {x}'],
    keyword: '{x} terms',
  },
  {
    slug: 'problem',
    questions: ['{x} is not working, what should I do?', '{x} error', 'Problem with {x}, help'],
    keyword: '{x} problem',
  },
  {
    slug: 'documents',
    questions: ['Which documents are needed for {x}?', 'Do I need a passport for {x}?', 'Documents for {x}'],
    keyword: '{x} documents',
  },
  {
    slug: 'regions',
    questions: ['Is {x} available in other cities?', 'Do you offer {x} abroad?', '{x} outside the city'],
    keyword: '{x} regions',
  },
  {
    slug: 'payment',
    questions: ['How can I pay for {x}?', 'Payment methods for {x}', 'Can I pay for {x} by card?'],
    keyword: '{x} payment',
  },
  {
    slug: 'change',
    questions: ['How do I change my {x}?', 'Can I modify {x}?', 'Change {x} details'],
    keyword: 'change {x}',
  },
];

/** Texts that ask none of the synthetic entries. */
export const UNRELATED_TEXTS: readonly string[] = [
  'привет',
  'какая сегодня погода',
  'спасибо большое, всё понятно',
  'я люблю котиков и собак',
  'вчера смотрел футбол, наши выиграли',
  'what is the weather like today',
  'hello there',
  'thanks a lot, bye',
  'the quick brown fox jumps over the lazy dog',
  '🙂🙂🙂',
  'ок',
  'расскажи анекдот про программиста',
];
