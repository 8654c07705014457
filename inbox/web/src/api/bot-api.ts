import { api } from './http';

/** A bot flow as `GET /v1/bot-flows` lists it. */
export interface BotFlowSummary {
  name: string;
  /** The version serving customers (0 for a folder flow, which is not versioned). */
  activeVersion: number;
  latestVersion: number;
  enabled: boolean;
  /** Channel ids or types the flow serves; empty: every channel of the workspace. */
  channels: string[];
  /** Template names whose replies start the flow. */
  notifications: string[];
  entryCount: number;
  updatedAt: string;
  origin: 'api' | 'folder';
}

/** One uploaded version of a flow, newest first. */
export interface BotFlowVersion {
  version: number;
  createdBy: string | null;
  createdAt: string;
}

/** A question the bot did not understand, grouped by its normalized text. */
export interface UnansweredQuestion {
  normalized: string;
  /** One of the customers' texts as written (shown as text, never as HTML). */
  example: string;
  count: number;
  lastAt: string;
  /** The latest conversation it was asked in (opens it in the inbox). */
  conversationId: string | null;
}

export interface NeverMatchedEntry {
  entryId: string;
  title: string;
}

export interface BotTotals {
  turns: number;
  answered: number;
  missed: number;
  handoffs: number;
  errors: number;
}

/** `GET /v1/bot-flows/:name/report?from&to`. */
export interface BotFlowReport {
  unanswered: UnansweredQuestion[];
  neverMatched: NeverMatchedEntry[];
  totals: BotTotals;
}

export interface ReportRange {
  from: string;
  to: string;
}

type ListAnswer<T> = T[] | { items?: T[]; data?: T[]; flows?: T[]; versions?: T[] };

/** The list in an answer, whichever key the route wraps it in (`items` is the API's usual one). */
function listOf<T>(answer: ListAnswer<T>): T[] {
  if (Array.isArray(answer)) return answer;
  return answer.items ?? answer.data ?? answer.flows ?? answer.versions ?? [];
}

const flowPath = (name: string, rest = '') => `/bot-flows/${encodeURIComponent(name)}${rest}`;

/** The bot-flows API (/v1/bot-flows) as the operator UI calls it. */
export const botApi = {
  flows: () => api<ListAnswer<BotFlowSummary>>('GET', '/bot-flows').then(listOf),
  versions: (name: string) =>
    api<ListAnswer<BotFlowVersion>>('GET', flowPath(name, '/versions')).then(listOf),
  report: (name: string, range: ReportRange, signal?: AbortSignal) =>
    api<BotFlowReport>('GET', flowPath(name, '/report'), { query: { ...range }, signal }),
  rollback: (name: string, version: number) =>
    api<unknown>('POST', flowPath(name, '/rollback'), { body: { version } }),
  setEnabled: (name: string, enabled: boolean) =>
    api<unknown>('POST', flowPath(name, enabled ? '/enable' : '/disable')),
};

/** The last `days` days up to now, as the report's `from`/`to`. */
export function lastDays(days: number, now = new Date()): ReportRange {
  return { from: new Date(now.getTime() - days * 86_400_000).toISOString(), to: now.toISOString() };
}
