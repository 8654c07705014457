/**
 * Built-in kinds of values `collect` asks for: each validates the customer's answer and returns it
 * in one form (`+79161234567`, `2026-03-08`), or null when it is not valid.
 */

import { createContext, Script } from 'node:vm';

/** Answers longer than this are invalid before any pattern runs (no pattern sees a long text). */
export const MAX_COLLECTED_CHARS = 256;

/**
 * How long an author's pattern may run on one answer; an answer it has not matched by then is not
 * valid. A catastrophic pattern (`(a+)+b`: exponential backtracking) in an uploaded flow file would
 * otherwise hold the ingest worker, and every workspace behind it, on one customer's message.
 */
export const PATTERN_TIMEOUT_MS = 50;

export type CollectType = 'text' | 'number' | 'phone' | 'email' | 'date' | 'order-number';

type Validator = (answer: string) => string | null;

const withoutSpaces = (text: string) => text.replace(/[\s\u00a0]+/g, '');

function number(answer: string): string | null {
  const compact = withoutSpaces(answer).replace(',', '.');
  return /^[+-]?\d+(\.\d+)?$/.test(compact) ? compact : null;
}

function phone(answer: string): string | null {
  const compact = answer.replace(/[\s\u00a0()-]+/g, '');
  if (!/^\+?\d{10,15}$/.test(compact)) return null;
  const digits = compact.replace('+', '');
  if (/^8\d{10}$/.test(digits) && !compact.startsWith('+')) return `+7${digits.slice(1)}`;
  if (/^9\d{9}$/.test(digits) && !compact.startsWith('+')) return `+7${digits}`;
  return `+${digits}`;
}

function email(answer: string): string | null {
  const trimmed = answer.trim();
  return /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/.test(trimmed) ? trimmed : null;
}

const DATE_FORMS: readonly { pattern: RegExp; order: [number, number, number] }[] = [
  { pattern: /^(\d{1,2})[./](\d{1,2})[./](\d{4})$/, order: [3, 2, 1] },
  { pattern: /^(\d{4})-(\d{1,2})-(\d{1,2})$/, order: [1, 2, 3] },
];

function date(answer: string): string | null {
  const trimmed = answer.trim();
  for (const { pattern, order } of DATE_FORMS) {
    const found = pattern.exec(trimmed);
    if (found) return isoDate(...(order.map((group) => Number(found[group])) as [number, number, number]));
  }
  return null;
}

function isoDate(year: number, month: number, day: number): string | null {
  const value = new Date(Date.UTC(year, month - 1, day));
  if (value.getUTCMonth() !== month - 1 || value.getUTCDate() !== day) return null;
  return value.toISOString().slice(0, 10);
}

function orderNumber(answer: string): string | null {
  const compact = withoutSpaces(answer).replace(/^(#|№|no\.)/i, '');
  return /^[A-Za-z0-9-]{4,20}$/.test(compact) ? compact.toUpperCase() : null;
}

function text(answer: string): string | null {
  const trimmed = answer.trim();
  return trimmed === '' ? null : trimmed;
}

/** The validator of each built-in type. */
export const collectTypes: Readonly<Record<CollectType, Validator>> = {
  text,
  number,
  phone,
  email,
  date,
  'order-number': orderNumber,
};

/** A validator from an author's pattern: the whole (trimmed) answer must match it within {@link PATTERN_TIMEOUT_MS}. */
export function patternValidator(pattern: RegExp): Validator {
  const whole = new RegExp(`^(?:${pattern.source})$`, pattern.flags.replace('g', ''));
  return (answer) => {
    const trimmed = answer.trim();
    return matchesInTime(whole, trimmed) ? trimmed : null;
  };
}

/** One context for every pattern run: runs are synchronous, so they never share it at once. */
const patternRun = {
  context: createContext({ pattern: /$^/, answer: '' }),
  script: new Script('pattern.test(answer)'),
};

/** `pattern.test(answer)`, stopped after {@link PATTERN_TIMEOUT_MS} (V8 interrupts a backtracking match). */
function matchesInTime(pattern: RegExp, answer: string): boolean {
  Object.assign(patternRun.context, { pattern, answer });
  try {
    return patternRun.script.runInContext(patternRun.context, { timeout: PATTERN_TIMEOUT_MS }) === true;
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') return false;
    throw error;
  }
}

/** Runs a validator on an answer no longer than {@link MAX_COLLECTED_CHARS}. */
export function validateAnswer(validator: Validator, answer: string): string | null {
  return answer.length > MAX_COLLECTED_CHARS ? null : validator(answer);
}
