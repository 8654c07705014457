import type { SandboxContext } from '../../sandbox-platform';
import type { PlatformAccount, ReceivedMessage, VirtualUser } from '../../virtual-users';
import type { WhatsappAccount } from './accounts';
import { type AsyncError, asyncErrors, type GraphErrorSpec, graphErrors } from './graph-errors';
import type { WhatsappMediaStore } from './media';
import { type FreeFormSend, type ParsedSend, parseSend, type TemplateSend } from './message-rules';
import { placeholders, type WhatsappTemplateStore } from './templates';
import type { WhatsappWebhooks } from './webhooks';

/** The customer service window: free-form messages only within 24 h of the user's last message. */
export const serviceWindowMs = 24 * 3_600_000;

/** What the user will see, and how Meta prices it. */
interface Rendered {
  text: string;
  buttons: ReceivedMessage['buttons'];
  images: ReceivedMessage['images'];
  template?: { name: string; params: Record<string, string> };
  /** Pricing category of the status webhooks (`service` for free-form). */
  category: string;
}

export function windowOpen(account: PlatformAccount, nowMs: number): boolean {
  return account.lastUserMessageAt !== null && nowMs - account.lastUserMessageAt.getTime() < serviceWindowMs;
}

/**
 * `POST /{phone-number-id}/messages`: checks the request like the Cloud API, answers with a wamid,
 * then acts out what Meta does next — deliver and report `sent`, `delivered` (and `read` later), or
 * report `failed` asynchronously: 131047 outside the 24-hour window, 131026 when the number has no
 * reachable WhatsApp account. Status webhooks of one message are sent in order.
 */
export class WhatsappOutbound {
  private readonly chains = new Map<string, Promise<void>>();

  constructor(
    private readonly context: SandboxContext,
    private readonly media: WhatsappMediaStore,
    private readonly templates: WhatsappTemplateStore,
    private readonly webhooks: WhatsappWebhooks,
  ) {}

  send(account: WhatsappAccount, body: unknown): object | GraphErrorSpec {
    const parsed = parseSend(body);
    if ('http' in parsed) return parsed;
    const rendered =
      parsed.content.kind === 'template'
        ? this.renderTemplate(account, parsed.content)
        : this.renderFreeForm(account, parsed.content);
    if ('http' in rendered) return rendered;
    const wamid = `wamid.HBgL${this.context.random.token(44)}`;
    const user = this.recipient(parsed.to);
    const waAccount = user?.accounts.whatsapp;
    const failure = this.failureFor(waAccount, parsed.content.kind === 'template');
    if (failure || !user) {
      this.report(account, wamid, parsed, 'failed', { errors: [failure ?? asyncErrors.undeliverable] });
    } else {
      this.deliver(account, user, wamid, parsed, rendered);
    }
    return {
      messaging_product: 'whatsapp',
      contacts: [{ input: parsed.to, wa_id: waAccount?.id ?? parsed.to }],
      messages: [{ id: wamid }],
    };
  }

  /** The user reads one received message: status `read`, and a `read` webhook after the others. */
  markRead(account: WhatsappAccount, message: ReceivedMessage, recipientId: string): void {
    if (message.status !== 'delivered') return;
    message.status = 'read';
    this.chain(message.messageId, () =>
      this.webhooks.notify(account, {
        statuses: [this.statusJson(message.messageId, 'read', recipientId, undefined, {})],
      }),
    );
  }

  private deliver(
    account: WhatsappAccount,
    user: VirtualUser,
    wamid: string,
    send: ParsedSend,
    rendered: Rendered,
  ): void {
    this.context.users.deliver(user, {
      platform: 'whatsapp',
      messageId: wamid,
      from: account.phoneNumberId,
      via: 'chat',
      text: rendered.text,
      buttons: rendered.buttons,
      images: rendered.images,
      ...(rendered.template ? { template: rendered.template } : {}),
      ...(send.replyTo ? { replyTo: send.replyTo } : {}),
    });
    const billable = Boolean(rendered.template) && rendered.category !== 'utility';
    const pricing = {
      billable,
      pricing_model: 'PMP',
      type: billable ? 'regular' : 'free_customer_service',
      category: rendered.category,
    };
    this.report(account, wamid, send, 'sent', { pricing });
    this.report(account, wamid, send, 'delivered', { pricing });
    this.context.scheduleRead(user, 'whatsapp', wamid);
  }

  private report(
    account: WhatsappAccount,
    wamid: string,
    send: ParsedSend,
    status: 'sent' | 'delivered' | 'failed',
    extra: { pricing?: object; errors?: AsyncError[] },
  ): void {
    this.chain(wamid, () =>
      this.webhooks.notify(account, {
        statuses: [this.statusJson(wamid, status, send.to, send.callbackData, extra)],
      }),
    );
  }

  private statusJson(
    wamid: string,
    status: string,
    recipientId: string,
    callbackData: string | undefined,
    extra: { pricing?: object; errors?: AsyncError[] },
  ): object {
    return {
      id: wamid,
      status,
      timestamp: String(Math.floor(this.context.clock.nowMs() / 1000)),
      recipient_id: recipientId,
      ...(callbackData ? { biz_opaque_callback_data: callbackData } : {}),
      ...(extra.pricing ? { pricing: extra.pricing } : {}),
      ...(extra.errors ? { errors: extra.errors } : {}),
    };
  }

  /** Runs status webhooks of one message one after another, in the order they were decided. */
  private chain(wamid: string, work: () => Promise<void>): void {
    const next = (this.chains.get(wamid) ?? Promise.resolve())
      .then(work)
      .catch((error: unknown) =>
        this.context.logger.warn({ err: error }, 'sandbox whatsapp: status webhook failed'),
      );
    this.chains.set(wamid, next);
  }

  private recipient(to: string): VirtualUser | undefined {
    const byId = this.context.users.byAccount('whatsapp', to);
    if (byId) return byId;
    const byPhone = this.context.users.byPhone(`+${to}`);
    return byPhone?.accounts.whatsapp ? byPhone : undefined;
  }

  private failureFor(waAccount: PlatformAccount | undefined, template: boolean): AsyncError | null {
    if (!waAccount || waAccount.blocked) return asyncErrors.undeliverable;
    if (!template && !windowOpen(waAccount, this.context.clock.nowMs())) return asyncErrors.reEngagement;
    return null;
  }

  private renderFreeForm(account: WhatsappAccount, send: FreeFormSend): Rendered | GraphErrorSpec {
    const images: ReceivedMessage['images'] = [];
    for (const id of send.mediaIds) {
      const media = this.media.get(id);
      if (!media || media.phoneNumberId !== account.phoneNumberId) {
        return graphErrors.invalidParameter(`Param image['id'] is not a valid media id: ${id}`);
      }
      images.push({ mimeType: media.mimeType, size: media.size });
    }
    return { text: send.text, buttons: send.buttons, images, category: 'service' };
  }

  private renderTemplate(account: WhatsappAccount, send: TemplateSend): Rendered | GraphErrorSpec {
    const template = this.templates.find(account.wabaId, send.name, send.language);
    if (template?.status !== 'APPROVED') return graphErrors.templateMissing(send.name, send.language);
    const names = [...new Set(placeholders(template.body))];
    const given =
      send.components.find((component) => component.type.toLowerCase() === 'body')?.parameters ?? [];
    const params: Record<string, string> = {};
    given.forEach((parameter, index) => {
      params[template.parameterFormat === 'NAMED' ? (parameter.parameter_name ?? '') : String(index + 1)] =
        parameter.text ?? '';
    });
    const missing = names.filter((name) => params[name] === undefined);
    if (given.length !== names.length || missing.length > 0) {
      return graphErrors.templateParams(
        `body: number of localizable_params (${given.length}) does not match the expected number of params (${names.length})`,
      );
    }
    const buttons = this.templateButtons(template.quickReplies, send);
    if ('http' in buttons) return buttons;
    const text = template.body.replace(
      /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g,
      (_match, name: string) => params[name] ?? '',
    );
    return {
      text,
      buttons,
      images: [],
      template: { name: template.name, params },
      category: template.category.toLowerCase(),
    };
  }

  /** Quick-reply buttons of the template; a `button` component may set a button's payload by index. */
  private templateButtons(labels: string[], send: TemplateSend): ReceivedMessage['buttons'] | GraphErrorSpec {
    const payloads = new Map<number, string>();
    for (const component of send.components.filter((entry) => entry.type.toLowerCase() === 'button')) {
      const index = Number(component.index);
      if (component.sub_type !== 'quick_reply' || !(index >= 0 && index < labels.length)) {
        return graphErrors.parameterValueInvalid(
          `Button at index ${String(component.index)} of type Quick reply does not exist`,
        );
      }
      payloads.set(
        index,
        component.parameters?.find((parameter) => parameter.type === 'payload')?.payload ?? '',
      );
    }
    return labels.map((label, index) => ({
      label,
      kind: 'reply' as const,
      payload: payloads.get(index) ?? label,
    }));
  }
}
