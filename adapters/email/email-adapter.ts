import nodemailer, { type SMTPPoolOptions, type Transporter } from 'nodemailer';
import { z } from 'zod';
import {
  type AdapterContext,
  type ChannelAdapter,
  type ChannelCapabilities,
  type ConnectResult,
  type OutboundContent,
  permanent,
  type Recipient,
  refusalResult,
  rejected,
  type SendOptions,
  type SendResult,
  sent,
  validateContent,
  type WebhookResult,
} from '../contract';
import { emailCapabilities } from './capabilities';
import type { EmailConfig } from './config-schema';
import { mapSmtpFailure, smtpFailureOf } from './error-mapping';
import { type EmailRecipient, renderEmail } from './outbound-renderer';

const addressSchema = z.email();

/** nodemailer's pooled SMTP options for a channel's config. */
export function transportOptions(
  config: EmailConfig,
  requestTimeoutMs: number,
): SMTPPoolOptions & { pool: true } {
  return {
    host: config.host,
    port: config.port,
    secure: config.secure,
    requireTLS: config.requireTls,
    ...(config.user && config.password ? { auth: { user: config.user, pass: config.password } } : {}),
    pool: true,
    maxConnections: config.pool.maxConnections,
    maxMessages: config.pool.maxMessages,
    connectionTimeout: requestTimeoutMs,
    greetingTimeout: requestTimeoutMs,
    socketTimeout: requestTimeoutMs,
    // Our attachments are Buffers: never let message data make nodemailer read files or URLs.
    disableFileAccess: true,
    disableUrlAccess: true,
  };
}

function emailRecipientOf(recipient: Recipient): EmailRecipient | SendResult {
  if (recipient.kind !== 'email') {
    return permanent('recipient-invalid', `e-mail sends to addresses, not to a ${recipient.kind}`);
  }
  if (!addressSchema.safeParse(recipient.address).success) {
    return permanent('recipient-invalid', 'not a valid e-mail address');
  }
  return { address: recipient.address, ...(recipient.name ? { name: recipient.name } : {}) };
}

/**
 * One SMTP account behind the channel contract. Statuses: `send` succeeds when the SMTP server
 * accepts the message (250 after DATA) — that is `sent`; a permanent SMTP rejection is a
 * `permanent` failure (the core marks the attempt `undelivered`). Nothing reports delivery or
 * reads later: e-mail has no webhooks.
 */
export class EmailAdapter implements ChannelAdapter {
  readonly kind = 'email' as const;
  readonly capabilities: ChannelCapabilities;
  private readonly transporter: Transporter;

  constructor(
    private readonly config: EmailConfig,
    private readonly context: AdapterContext,
  ) {
    this.capabilities = emailCapabilities(config);
    this.transporter = nodemailer.createTransport(transportOptions(config, context.requestTimeoutMs));
  }

  async send(recipient: Recipient, content: OutboundContent, options: SendOptions): Promise<SendResult> {
    const refusal = validateContent(this.capabilities, content);
    if (refusal) return refusalResult(refusal);
    const to = emailRecipientOf(recipient);
    if ('ok' in to) return to;
    const rendered = renderEmail({ config: this.config, recipient: to, content, options });
    if (!rendered.ok) return permanent('content-invalid', rendered.refusal.message, rendered.refusal.limit);
    try {
      const info = await this.transporter.sendMail(rendered.mail);
      return sent(info.messageId);
    } catch (error) {
      const failure = smtpFailureOf(error);
      this.context.logger.warn(
        { code: failure.code, responseCode: failure.responseCode },
        'email: SMTP send failed',
      );
      return mapSmtpFailure(failure);
    }
  }

  /** E-mail has no webhooks: nothing may arrive here. */
  async handleWebhook(): Promise<WebhookResult> {
    return rejected(400, 'e-mail has no webhooks');
  }

  /** Checks that the server answers and takes our login (`EHLO`, `STARTTLS`, `AUTH`). */
  async connect(): Promise<ConnectResult> {
    try {
      await this.transporter.verify();
      return { webhook: 'not-needed' };
    } catch (error) {
      const failure = smtpFailureOf(error);
      const reply = failure.response ?? failure.message;
      return { webhook: 'failed', detail: `${failure.code ?? 'SMTP'}: ${reply}`.slice(0, 300) };
    }
  }

  async close(): Promise<void> {
    this.transporter.close();
  }
}
