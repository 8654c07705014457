import type { z } from 'zod';
import type { ChannelCapabilities } from './capabilities';
import type { ChannelKind } from './channel-kind';
import type { OutboundContent, Recipient, SendOptions } from './content';
import type { NormalizedEvent } from './events';
import type { SendResult, WithdrawResult } from './results';
import type { WebhookRequest, WebhookResult } from './webhook';

/** The slice of a pino logger adapters use. Never log phone numbers or tokens. */
export interface AdapterLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** What the core hands an adapter at creation. */
export interface AdapterContext {
  /** Namespaced logger (`vestnik:adapter:<kind>`). */
  logger: AdapterLogger;
  /**
   * This channel's public webhook address and a per-channel random secret the core generated.
   * Adapters use `key` where the platform lets us choose a secret (Telegram `secret_token`,
   * WhatsApp verify token, OK's unguessable `?key=`).
   */
  webhook: { url: string; key: string };
  /**
   * For push channels (SMPP receipts and MO messages arrive on the bind, not over HTTP): hand
   * normalized events to the core, which stores and processes them like webhook events.
   */
  emit(events: NormalizedEvent[]): Promise<void>;
  /** Timeout for one platform request. */
  requestTimeoutMs: number;
}

/** A file downloaded from the platform, at most `maxBytes` long. */
export interface DownloadedFile {
  data: Buffer;
  mimeType: string;
  fileName?: string;
}

export type DownloadResult =
  | { ok: true; file: DownloadedFile }
  | { ok: false; reason: 'too-large' | 'not-found' | 'failed'; detail: string };

/** What `connect()` did: registered the webhook by API, or what the admin must do by hand. */
export type ConnectResult =
  | { webhook: 'registered' }
  | { webhook: 'manual'; instructions: string }
  | { webhook: 'not-needed' }
  | { webhook: 'failed'; detail: string };

export interface PlatformTemplate {
  name: string;
  text: string;
  language?: string;
  category?: string;
}

export type PlatformTemplateStatus = 'pending' | 'approved' | 'rejected';

/** Template moderation by the platform itself (notification gateway, WhatsApp). */
export interface PlatformTemplates {
  submit(
    template: PlatformTemplate,
  ): Promise<{ ok: true; status: PlatformTemplateStatus } | { ok: false; detail: string }>;
  status(name: string): Promise<{ status: PlatformTemplateStatus; reason?: string } | null>;
}

/**
 * One channel account (a VK community, a Telegram bot, an SMPP bind…) behind one contract.
 *
 * Promised: `send` never throws for platform or network failures — it returns a typed failure;
 * content is checked against `capabilities` before any network call; `handleWebhook` verifies
 * before it parses, and never throws on malformed input (it returns `rejected` 400).
 * Not promised: deduplication (the core stores events under a unique `eventKey`), retries (the
 * caller decides from the failure kind), persistence of anything.
 */
export interface ChannelAdapter {
  readonly kind: ChannelKind;
  readonly capabilities: ChannelCapabilities;
  send(recipient: Recipient, content: OutboundContent, options: SendOptions): Promise<SendResult>;
  handleWebhook(request: WebhookRequest): Promise<WebhookResult>;
  /** Deletes a sent message for the recipient, where `capabilities.withdraw`. */
  withdraw?(target: { externalMessageId: string; recipient: Recipient }): Promise<WithdrawResult>;
  /** Answers a callback button press (Telegram answerCallbackQuery, VK sendMessageEventAnswer). */
  acknowledgeButton?(event: Extract<NormalizedEvent, { type: 'button-press' }>): Promise<void>;
  downloadAttachment?(fileRef: string, maxBytes: number): Promise<DownloadResult>;
  /** Registers the webhook where the platform has an API for it; opens binds (SMPP). */
  connect(): Promise<ConnectResult>;
  /** Removes the webhook where possible; used when the channel is deleted. */
  disconnect?(): Promise<void>;
  readonly templates?: PlatformTemplates;
  /** Releases sockets and timers. */
  close(): Promise<void>;
}

/**
 * A registry entry: how to build an adapter of one kind from a channel's stored config.
 * `secretFields` are encrypted at rest and never returned whole by the API.
 */
export interface AdapterDefinition<Config extends Record<string, unknown> = Record<string, unknown>> {
  readonly kind: ChannelKind;
  readonly title: string;
  readonly configSchema: z.ZodType<Config>;
  readonly secretFields: readonly string[];
  /** One line for the README and the API: how to connect a real account. */
  readonly connectHint: string;
  /**
   * The adapter keeps a connection open to receive (SMPP binds): worker processes `connect()` every
   * channel of this kind at start. Webhook channels leave it unset.
   */
  readonly holdsConnection?: boolean;
  /**
   * A valid config with placeholder credentials: documents the fields (README table, API docs)
   * and lets capabilities be shown for the default settings. A test parses it with `configSchema`.
   */
  readonly exampleConfig: Record<string, unknown>;
  capabilities(config: Config): ChannelCapabilities;
  create(config: Config, context: AdapterContext): ChannelAdapter;
}
