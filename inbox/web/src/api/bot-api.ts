import { api } from './http';

/** A bot flow as `GET /v1/bot-flows` lists it. */
export interface BotFlowSummary {
  name: string;
  /** The version serving customers: null until one is activated; 0 for a folder flow (not versioned). */
  activeVersion: number | null;
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
  active: boolean;
  format: 'yaml' | 'json';
  entryCount: number;
  /** Who uploaded it: an operator or an API key, by name. */
  createdBy: { type: 'operator' | 'api-key'; id: string; name: string };
  createdAt: string;
}

/** A question the bot did not understand, grouped by its normalized text. */
export interface UnansweredQuestion {
  normalized: string;
  /** One of the customers' texts as written (shown as text, never as HTML). */
  example: string;
  count: number;
  lastAt: string;
  /** The conversation it was last asked in (opens it in the inbox). */
  conversationId: string;
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

/** The list of an `{items}` answer. */
function itemsOf<T>(answer: { items: T[] }): T[] {
  return answer.items;
}

const flowPath = (name: string, rest = '') => `/bot-flows/${encodeURIComponent(name)}${rest}`;

/** The bot-flows API (/v1/bot-flows) as the operator UI calls it. */
export const botApi = {
  flows: () => api<{ items: BotFlowSummary[] }>('GET', '/bot-flows').then(itemsOf),
  versions: (name: string) =>
    api<{ items: BotFlowVersion[] }>('GET', flowPath(name, '/versions')).then(itemsOf),
  report: (name: string, range: ReportRange, signal?: AbortSignal) =>
    api<BotFlowReport>('GET', flowPath(name, '/report'), { query: { ...range }, signal }),
  rollback: (name: string, version: number) =>
    api<BotFlowSummary>('POST', flowPath(name, '/rollback'), { body: { version } }),
  /** Uploaded flows only (a folder flow is switched off by removing its file). */
  setEnabled: (name: string, enabled: boolean) =>
    api<BotFlowSummary>('POST', flowPath(name, enabled ? '/enable' : '/disable')),
};

/** The last `days` days up to now, as the report's `from`/`to`. */
export function lastDays(days: number, now = new Date()): ReportRange {
  return { from: new Date(now.getTime() - days * 86_400_000).toISOString(), to: now.toISOString() };
}
