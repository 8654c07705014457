import { z } from 'zod';
import type { SandboxContext } from '../../sandbox-platform';
import type { WhatsappAccount } from './accounts';
import { type GraphErrorSpec, graphErrors } from './graph-errors';

export type TemplateStatus = 'PENDING' | 'APPROVED' | 'REJECTED';

export interface SandboxTemplate {
  id: string;
  wabaId: string;
  name: string;
  language: string;
  category: 'MARKETING' | 'UTILITY' | 'AUTHENTICATION';
  status: TemplateStatus;
  rejectedReason: string;
  body: string;
  parameterFormat: 'POSITIONAL' | 'NAMED';
  /** Labels of QUICK_REPLY buttons, by index. */
  quickReplies: string[];
}

/** Meta's preset body for AUTHENTICATION templates (bodies cannot be written for that category). */
const authenticationBody = '{{1}} is your verification code.';

const component = z.looseObject({
  type: z.string().transform((type) => type.toUpperCase()),
  text: z.string().optional(),
  buttons: z.array(z.looseObject({ type: z.string(), text: z.string().optional() })).optional(),
});

/** `POST /{waba-id}/message_templates` body, with Meta's rules for names and categories. */
const createTemplateInput = z.looseObject({
  name: z.string().regex(/^[a-z0-9_]{1,512}$/, 'name must be lower-case letters, digits and underscores'),
  language: z.string().regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, 'language must be a code such as en_US'),
  category: z.enum(['MARKETING', 'UTILITY', 'AUTHENTICATION']),
  parameter_format: z.enum(['POSITIONAL', 'NAMED']).optional(),
  components: z.array(component).min(1),
});

/** `{{1}}` / `{{name}}` placeholders of a body, in order. */
export function placeholders(body: string): string[] {
  return [...body.matchAll(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g)].map((match) => match[1] ?? '');
}

/**
 * Review rules of Meta's template guidelines the simulator applies: a variable may not start or
 * end the body, and positional variables must be numbered 1, 2, 3… without gaps.
 */
function reviewVerdict(template: SandboxTemplate): string | null {
  if (template.category === 'AUTHENTICATION') return null;
  const trimmed = template.body.trim();
  if (/^\{\{[^}]+\}\}/.test(trimmed) || /\{\{[^}]+\}\}[.!?]?$/.test(trimmed)) return 'INVALID_FORMAT';
  const names = placeholders(template.body);
  if (template.parameterFormat === 'POSITIONAL' && names.some((name, index) => name !== String(index + 1))) {
    return 'INVALID_FORMAT';
  }
  return null;
}

/** Templates per WABA with Meta's moderation: PENDING, then APPROVED or REJECTED after review. */
export class WhatsappTemplateStore {
  private readonly templates: SandboxTemplate[] = [];

  constructor(private readonly context: SandboxContext) {}

  create(account: WhatsappAccount, input: unknown): SandboxTemplate | GraphErrorSpec {
    const parsed = createTemplateInput.safeParse(input);
    if (!parsed.success)
      return graphErrors.invalidParameter(parsed.error.issues[0]?.message ?? 'invalid template');
    const { name, language, category } = parsed.data;
    if (this.find(account.wabaId, name, language)) return graphErrors.templateExists();
    const bodyText = parsed.data.components.find((entry) => entry.type === 'BODY')?.text;
    const body = category === 'AUTHENTICATION' ? authenticationBody : bodyText;
    if (!body || body.length > 1024)
      return graphErrors.invalidParameter('BODY text is required, up to 1024 characters');
    const template: SandboxTemplate = {
      id: String(this.context.random.int(100_000_000_000_000, 999_999_999_999_999)),
      wabaId: account.wabaId,
      name,
      language,
      category,
      status: 'PENDING',
      rejectedReason: 'NONE',
      body,
      parameterFormat: parsed.data.parameter_format ?? 'POSITIONAL',
      quickReplies: quickReplyLabels(parsed.data.components),
    };
    this.templates.push(template);
    this.context.later(account.templateReviewMs, async () => this.review(template));
    return template;
  }

  find(wabaId: string, name: string, language: string): SandboxTemplate | undefined {
    return this.templates.find(
      (entry) => entry.wabaId === wabaId && entry.name === name && entry.language === language,
    );
  }

  /** Meta's `name` filter matches parts of names. */
  list(wabaId: string, nameFilter: string | undefined): SandboxTemplate[] {
    return this.templates.filter(
      (entry) => entry.wabaId === wabaId && (!nameFilter || entry.name.includes(nameFilter)),
    );
  }

  private review(template: SandboxTemplate): void {
    const reason = reviewVerdict(template);
    template.status = reason ? 'REJECTED' : 'APPROVED';
    template.rejectedReason = reason ?? 'NONE';
  }
}

function quickReplyLabels(components: Array<z.output<typeof component>>): string[] {
  const buttons = components.find((entry) => entry.type === 'BUTTONS')?.buttons ?? [];
  return buttons
    .filter((button) => button.type.toUpperCase() === 'QUICK_REPLY')
    .map((button) => button.text ?? '');
}

/** A template as `GET /{waba-id}/message_templates` lists it. */
export function templateJson(template: SandboxTemplate): object {
  return {
    name: template.name,
    parameter_format: template.parameterFormat,
    components: [
      { type: 'BODY', text: template.body },
      ...(template.quickReplies.length > 0
        ? [{ type: 'BUTTONS', buttons: template.quickReplies.map((text) => ({ type: 'QUICK_REPLY', text })) }]
        : []),
    ],
    language: template.language,
    status: template.status,
    category: template.category,
    rejected_reason: template.rejectedReason,
    id: template.id,
  };
}
