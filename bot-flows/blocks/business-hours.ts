import type { BusinessHoursPolicy } from '../engine/define-flow';
import { FlowBlockError } from './block-error';
import { fillTemplate } from './fill-template';

export const weekDays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type WeekDay = (typeof weekDays)[number];

export interface BusinessHoursOptions {
  /** An IANA time zone (`Europe/Moscow`). */
  timezone: string;
  /** Opening hours per day: `09:00-18:00`, or several ranges `09:00-13:00, 14:00-18:00`; null or missing: closed. */
  days: Partial<Record<WeekDay, string | null>>;
  /** Local dates (`2026-12-31`) when the operators do not work. */
  holidays?: readonly string[];
  /** The auto-reply outside the hours; `{{hours}}` lists them, `{{timezone}}` names the zone. */
  closedMessage?: string;
}

/** One opening range of a day, in minutes since local midnight (`to` exclusive, at most 24:00). */
export interface OpeningRange {
  from: number;
  to: number;
}

export const defaultClosedMessage =
  'Сейчас операторы не работают. Часы работы: {{hours}} ({{timezone}}). Мы ответим, как только начнём работу.';

const dayNames: Record<WeekDay, string> = {
  mon: 'пн',
  tue: 'вт',
  wed: 'ср',
  thu: 'чт',
  fri: 'пт',
  sat: 'сб',
  sun: 'вс',
};
const RANGE = /^(\d{1,2}):(\d{2})\s*[-–—]\s*(\d{1,2}):(\d{2})$/;

/**
 * Opening hours as the engine's policy, computed with `Intl.DateTimeFormat` in the given zone (no
 * date library): open when the local time falls in one of the day's ranges and the local date is
 * not a holiday. Ranges do not cross midnight (write `22:00-24:00` and `00:00-02:00`).
 */
export function businessHours(options: BusinessHoursOptions): BusinessHoursPolicy {
  const clock = localClock(options.timezone);
  const week = parseWeek(options.days);
  const holidays = new Set(options.holidays ?? []);
  const message = fillTemplate(options.closedMessage ?? defaultClosedMessage, {
    hours: describeHours(options.days),
    timezone: options.timezone,
  });
  return {
    isOpen(at) {
      const local = clock(at);
      if (holidays.has(local.date)) return false;
      return week[local.day].some((range) => local.minutes >= range.from && local.minutes < range.to);
    },
    closedMessage: () => message,
  };
}

/** A day's ranges, or why the text is not valid (for the declarative form's errors). */
export function parseDayHours(text: string): OpeningRange[] | string {
  const ranges: OpeningRange[] = [];
  for (const part of text.split(',').map((piece) => piece.trim())) {
    const found = RANGE.exec(part);
    if (!found) return `"${part}" is not a range like 09:00-18:00`;
    const [from, to] = [minutesOf(found[1], found[2]), minutesOf(found[3], found[4])];
    if (from === null || to === null) return `"${part}" has a time past 24:00 or a minute past 59`;
    if (to <= from) return `"${part}" ends before it starts (ranges do not cross midnight)`;
    if (ranges.some((range) => from < range.to && to > range.from)) return `"${part}" overlaps another range`;
    ranges.push({ from, to });
  }
  return ranges;
}

/** Whether the runtime knows the IANA time zone. */
export function isKnownTimeZone(timezone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
}

/** The hours in Russian, consecutive days with the same hours grouped: `пн–пт 09:00–21:00, сб–вс 10:00–18:00`. */
export function describeHours(days: BusinessHoursOptions['days']): string {
  const groups: { first: WeekDay; last: WeekDay; hours: string }[] = [];
  for (const day of weekDays) {
    const hours = days[day]?.split(',').map(formatRange).join(', ');
    if (!hours) continue;
    const previous = groups.at(-1);
    if (previous?.hours === hours && weekDays.indexOf(previous.last) === weekDays.indexOf(day) - 1)
      previous.last = day;
    else groups.push({ first: day, last: day, hours });
  }
  if (groups.length === 0) return 'нет';
  return groups
    .map(
      ({ first, last, hours }) => `${dayNames[first]}${first === last ? '' : `–${dayNames[last]}`} ${hours}`,
    )
    .join(', ');
}

function formatRange(range: string): string {
  return range.trim().replace(/\s*[-–—]\s*/, '–');
}

function minutesOf(hours: string | undefined, minutes: string | undefined): number | null {
  const [h, m] = [Number(hours), Number(minutes)];
  if (m > 59 || h > 24 || (h === 24 && m > 0)) return null;
  return h * 60 + m;
}

function parseWeek(days: BusinessHoursOptions['days']): Record<WeekDay, OpeningRange[]> {
  const entries = weekDays.map((day) => {
    const text = days[day];
    const ranges = text ? parseDayHours(text) : [];
    if (typeof ranges === 'string') throw new FlowBlockError('businessHours', `${day}: ${ranges}`);
    return [day, ranges] as const;
  });
  return Object.fromEntries(entries) as Record<WeekDay, OpeningRange[]>;
}

interface LocalTime {
  day: WeekDay;
  /** `YYYY-MM-DD`. */
  date: string;
  minutes: number;
}

function localClock(timezone: string): (at: Date) => LocalTime {
  if (!isKnownTimeZone(timezone))
    throw new FlowBlockError('businessHours', `unknown time zone "${timezone}"`);
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone: timezone,
    weekday: 'short',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  return (at) => {
    const parts = Object.fromEntries(format.formatToParts(at).map((part) => [part.type, part.value]));
    return {
      day: String(parts.weekday).toLowerCase().slice(0, 3) as WeekDay,
      date: `${parts.year}-${parts.month}-${parts.day}`,
      minutes: Number(parts.hour) * 60 + Number(parts.minute),
    };
  };
}
