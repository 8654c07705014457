import {
  businessHours,
  describeHours,
  FlowBlockError,
  parseDayHours,
  reaction,
} from '../../../../bot-flows/blocks';
import { defineFlow } from '../../../../bot-flows/engine';
import { converse, textsOf } from './converse';

const days = {
  mon: '09:00-18:00',
  tue: '09:00-18:00',
  wed: '09:00-18:00',
  thu: '09:00-18:00',
  fri: '09:00-13:00, 14:00-18:00',
  sat: '10:00-16:00',
  sun: null,
};
const moscow = businessHours({ timezone: 'Europe/Moscow', days, holidays: ['2026-03-09'] });

describe('businessHours', () => {
  test.each([
    ['Tue 08:59 MSK', '2026-03-03T05:59:00Z', false],
    ['Tue 09:00 MSK', '2026-03-03T06:00:00Z', true],
    ['Tue 17:59 MSK', '2026-03-03T14:59:00Z', true],
    ['Tue 18:00 MSK', '2026-03-03T15:00:00Z', false],
    ['Fri 13:30 MSK (lunch)', '2026-03-06T10:30:00Z', false],
    ['Fri 14:00 MSK', '2026-03-06T11:00:00Z', true],
    ['Sat 10:30 MSK', '2026-03-07T07:30:00Z', true],
    ['Sun 12:00 MSK', '2026-03-08T09:00:00Z', false],
    ['Mon 12:00 MSK, a holiday', '2026-03-09T09:00:00Z', false],
    ['Tue 00:30 MSK, still Mon 21:30 UTC', '2026-03-09T21:30:00Z', false],
    ['Tue 09:30 MSK, the day after the holiday', '2026-03-10T06:30:00Z', true],
  ])('Moscow: %s (%s) → open %s', (_, at, open) => {
    expect(moscow.isOpen(new Date(at))).toBe(open);
  });

  test('the day and the holiday are the local ones, not UTC', () => {
    const vladivostok = businessHours({ timezone: 'Asia/Vladivostok', days, holidays: ['2026-03-10'] });
    // Sunday 23:30 UTC is Monday 09:30 in Vladivostok (UTC+10) and Monday 02:30 in Moscow.
    const sundayNightUtc = new Date('2026-03-01T23:30:00Z');
    expect(vladivostok.isOpen(sundayNightUtc)).toBe(true);
    expect(moscow.isOpen(sundayNightUtc)).toBe(false);
    // Monday 23:30 UTC is Tuesday 2026-03-10 in Vladivostok: its holiday.
    expect(vladivostok.isOpen(new Date('2026-03-09T23:30:00Z'))).toBe(false);
  });

  test('summer time is the zone’s business: 09:30 in Berlin is 07:30 UTC in July and 08:30 UTC in January', () => {
    const berlin = businessHours({ timezone: 'Europe/Berlin', days });
    expect(berlin.isOpen(new Date('2026-07-01T07:30:00Z'))).toBe(true);
    expect(berlin.isOpen(new Date('2026-01-14T07:30:00Z'))).toBe(false);
    expect(berlin.isOpen(new Date('2026-01-14T08:30:00Z'))).toBe(true);
  });

  test('the default closed message lists the hours in Russian, days with equal hours grouped', () => {
    expect(moscow.closedMessage(new Date('2026-03-08T09:00:00Z'))).toBe(
      'Сейчас операторы не работают. Часы работы: пн–чт 09:00–18:00, пт 09:00–13:00, 14:00–18:00, ' +
        'сб 10:00–16:00 (Europe/Moscow). Мы ответим, как только начнём работу.',
    );
    const custom = businessHours({
      timezone: 'Europe/Moscow',
      days: { mon: '09:00-21:00', tue: '09:00-21:00', sat: '10:00-18:00', sun: '10:00-18:00' },
      closedMessage: 'Мы отдыхаем. Работаем {{hours}}, время {{timezone}}.',
    });
    expect(custom.closedMessage(new Date())).toBe(
      'Мы отдыхаем. Работаем пн–вт 09:00–21:00, сб–вс 10:00–18:00, время Europe/Moscow.',
    );
    expect(describeHours({})).toBe('нет');
  });

  test('outside the hours a hand-off tells the customer when the operators answer', async () => {
    const flow = defineFlow({
      name: 'hours',
      middleware: [reaction({ texts: ['нет'], reply: 'Соединяю.', handoff: true })],
      businessHours: moscow,
    });
    const closed = await converse(flow, { now: new Date('2026-03-08T09:00:00Z') }).say('нет');
    expect(textsOf(closed)).toEqual([
      'Соединяю.',
      'Передаю ваш вопрос оператору, он ответит здесь же.',
      moscow.closedMessage(new Date()),
    ]);
    const open = await converse(flow, { now: new Date('2026-03-03T10:00:00Z') }).say('нет');
    expect(textsOf(open)).toEqual(['Соединяю.', 'Передаю ваш вопрос оператору, он ответит здесь же.']);
  });

  test.each([
    ['09-18', '"09-18" is not a range like 09:00-18:00'],
    ['09:00-25:00', '"09:00-25:00" has a time past 24:00 or a minute past 59'],
    ['09:60-18:00', '"09:60-18:00" has a time past 24:00 or a minute past 59'],
    ['22:00-02:00', '"22:00-02:00" ends before it starts (ranges do not cross midnight)'],
    ['09:00-13:00, 12:00-18:00', '"12:00-18:00" overlaps another range'],
  ])('"%s" is refused: %s', (text, message) => {
    expect(parseDayHours(text)).toBe(message);
  });

  test('ranges may end at 24:00, start at a one-digit hour and use a dash of any kind', () => {
    expect(parseDayHours('9:00–12:00, 12:00 - 24:00')).toEqual([
      { from: 540, to: 720 },
      { from: 720, to: 1440 },
    ]);
  });

  test('an unknown time zone or a bad range is refused at construction', () => {
    expect(() => businessHours({ timezone: 'Europe/Mordor', days })).toThrow(
      new FlowBlockError('businessHours', 'unknown time zone "Europe/Mordor"'),
    );
    expect(() => businessHours({ timezone: 'UTC', days: { mon: '18:00-09:00' } })).toThrow(FlowBlockError);
  });
});
