import type { PlatformTemplate, PlatformTemplateStatus, PlatformTemplates } from '../contract';
import { describeFailure, type GraphClient } from './graph-client';

/** Meta's template categories; anything else is refused before the request. */
export const templateCategories = ['MARKETING', 'UTILITY', 'AUTHENTICATION'] as const;

/**
 * Meta's template statuses → ours. `IN_APPEAL` is still under review; paused, disabled and deleted
 * templates cannot be sent, so they count as rejected (with Meta's status as the reason).
 */
export const templateStatusTable: Readonly<Record<string, PlatformTemplateStatus>> = {
  APPROVED: 'approved',
  PENDING: 'pending',
  IN_APPEAL: 'pending',
  REJECTED: 'rejected',
  PAUSED: 'rejected',
  DISABLED: 'rejected',
  PENDING_DELETION: 'rejected',
  DELETED: 'rejected',
  LIMIT_EXCEEDED: 'rejected',
};

const placeholderPattern = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;

/** The request body for `POST /{waba-id}/message_templates` with one BODY component. */
export function templateCreateRequest(
  template: PlatformTemplate,
  language: string,
  category: string,
): object {
  const names = [...template.text.matchAll(placeholderPattern)].map((match) => match[1] ?? '');
  const positional = names.every((name) => /^\d+$/.test(name));
  const body: Record<string, unknown> = { type: 'BODY', text: template.text };
  if (names.length > 0 && positional) body.example = { body_text: [names.map((name) => `example ${name}`)] };
  if (names.length > 0 && !positional) {
    body.example = {
      body_text_named_params: names.map((name) => ({ param_name: name, example: `example ${name}` })),
    };
  }
  return {
    name: template.name,
    language,
    category,
    ...(names.length > 0 && !positional ? { parameter_format: 'NAMED' } : {}),
    components: [body],
  };
}

/**
 * Template moderation by Meta: `submit` creates the template on the WABA (Meta answers `PENDING`,
 * `APPROVED` or `REJECTED`), `status` looks it up by name. Placeholders are Meta's own: `{{1}}` or
 * `{{name}}`.
 */
export class WhatsappTemplates implements PlatformTemplates {
  constructor(
    private readonly graph: GraphClient,
    private readonly wabaId: string,
    private readonly defaultLanguage: string,
  ) {}

  async submit(
    template: PlatformTemplate,
  ): Promise<{ ok: true; status: PlatformTemplateStatus } | { ok: false; detail: string }> {
    if (!/^[a-z0-9_]{1,512}$/.test(template.name)) {
      return { ok: false, detail: 'template names are lower-case letters, digits and underscores' };
    }
    const category = (template.category ?? 'UTILITY').toUpperCase();
    if (!(templateCategories as readonly string[]).includes(category)) {
      return { ok: false, detail: `category must be one of ${templateCategories.join(', ')}` };
    }
    const request = templateCreateRequest(template, template.language ?? this.defaultLanguage, category);
    const call = await this.graph.request('POST', `${this.wabaId}/message_templates`, request);
    if (!call.ok) return { ok: false, detail: describeFailure(call) };
    const status = templateStatusTable[String((call.body as { status?: unknown } | null)?.status)];
    return status ? { ok: true, status } : { ok: false, detail: 'Meta answered without a known status' };
  }

  async status(name: string): Promise<{ status: PlatformTemplateStatus; reason?: string } | null> {
    const query = new URLSearchParams({ name, fields: 'name,status,language,category,rejected_reason' });
    const call = await this.graph.request('GET', `${this.wabaId}/message_templates?${query.toString()}`);
    if (!call.ok) return null;
    const data = (call.body as { data?: unknown } | null)?.data;
    const found = Array.isArray(data)
      ? pickTemplate(data as TemplateRow[], name, this.defaultLanguage)
      : undefined;
    if (!found) return null;
    const status = templateStatusTable[found.status ?? ''] ?? 'pending';
    const reason =
      found.rejected_reason && found.rejected_reason !== 'NONE' ? found.rejected_reason : undefined;
    const meta = status === 'rejected' && found.status !== 'REJECTED' ? found.status : undefined;
    return { status, ...(reason || meta ? { reason: reason ?? meta } : {}) };
  }
}

interface TemplateRow {
  name?: string;
  status?: string;
  language?: string;
  rejected_reason?: string;
}

/** Meta's `name` filter matches substrings: keep exact names, preferring the default language. */
function pickTemplate(rows: TemplateRow[], name: string, language: string): TemplateRow | undefined {
  const exact = rows.filter((row) => row.name === name);
  return exact.find((row) => row.language === language) ?? exact[0];
}
