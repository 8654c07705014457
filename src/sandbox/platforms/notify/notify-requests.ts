import type { Request } from 'express';
import type { z } from 'zod';
import type { SandboxClock } from '../../sandbox-clock';
import { GatewayError, type GatewayErrorCode, rateLimitError } from './gateway-errors';
import type { NotifyAccount, NotifyAccountStore, TemplateRecord } from './notify-accounts';
import { renderTemplate, textLimits } from './template-moderation';

/** The account behind `Authorization: Bearer <apiKey>`, or 401 `unauthorized`. */
export function authenticate(req: Request, accounts: NotifyAccountStore): NotifyAccount {
  const header = req.headers.authorization ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  const account = match?.[1] ? accounts.byApiKey(match[1]) : undefined;
  if (!account)
    throw new GatewayError('unauthorized', 'missing or unknown API key (Authorization: Bearer <key>)');
  return account;
}

/** Counts one notification against the account's per-second limit, or refuses it with 429. */
export function takeRateLimit(account: NotifyAccount, clock: SandboxClock): void {
  const now = clock.nowMs();
  account.recentSends = account.recentSends.filter((at) => now - at < 1000);
  const oldest = account.recentSends[0];
  if (oldest !== undefined && account.recentSends.length >= account.rateLimitPerSecond) {
    throw rateLimitError(Math.max(1, Math.ceil((oldest + 1000 - now) / 1000)));
  }
  account.recentSends.push(now);
}

const codeForField: Readonly<Record<string, GatewayErrorCode>> = {
  phone: 'invalid_phone',
  ttl: 'invalid_ttl',
};

/** Parses a request body; a failure names every issue, under the code of the first field at fault. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const result = schema.safeParse(body ?? {});
  if (result.success) return result.data;
  const issues = result.error.issues;
  const field = String(issues[0]?.path[0] ?? '');
  const message = issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`).join('; ');
  throw new GatewayError(codeForField[field] ?? 'invalid_request', message);
}

/** An approved template of the account, or 404 / 422. */
export function approvedTemplate(account: NotifyAccount, name: string): TemplateRecord {
  const template = account.templates.get(name);
  if (!template) throw new GatewayError('template_not_found', `no template named ${name}`);
  if (template.status !== 'approved') {
    throw new GatewayError('template_not_approved', `template ${name} is ${template.status}, not approved`);
  }
  return template;
}

/** The notification text with `#param#` values in place, within 2048 characters and 2 KB. */
export function renderNotification(template: TemplateRecord, params: Record<string, string>): string {
  const { text, missing } = renderTemplate(template.text, params);
  if (missing.length > 0) {
    throw new GatewayError('missing_param', `no value for placeholder(s): ${missing.join(', ')}`);
  }
  const length = [...text].length;
  if (length > textLimits.maxLength) {
    throw new GatewayError(
      'text_too_long',
      `text is ${length} characters after substitution; max ${textLimits.maxLength}`,
    );
  }
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > textLimits.maxBytes) {
    throw new GatewayError(
      'text_too_long',
      `text is ${bytes} bytes after substitution; max ${textLimits.maxBytes}`,
    );
  }
  return text;
}

/** JSON with object keys sorted, so equal requests compare equal whatever their key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
