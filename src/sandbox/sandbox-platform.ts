import type { Response, Router } from 'express';
import { z } from 'zod';
import type { Logger } from '../logging/logger';
import type { CallbackSender } from './callback-sender';
import type { FaultRegistry } from './faults';
import type { FileContent, SandboxFileStore } from './file-store';
import type { SandboxClock } from './sandbox-clock';
import type { SeededRandom } from './seeded-random';
import { type SimulatorName, simulatorNames } from './simulators';
import type { TrafficLog } from './traffic-log';
import type { ReceivedMessage, VirtualUser, VirtualUserStore } from './virtual-users';

/** Shared state every simulator works with. One per sandbox. */
export interface SandboxContext {
  users: VirtualUserStore;
  faults: FaultRegistry;
  log: TrafficLog;
  callbacks: CallbackSender;
  files: SandboxFileStore;
  clock: SandboxClock;
  random: SeededRandom;
  logger: Logger;
  /** `http://host:port` of the sandbox HTTP server (known once it listens). */
  baseUrl(): string;
  /** Host the socket simulators (SMPP, SMTP) listen on. */
  host: string;
  /** Ports requested for the socket simulators; 0 picks a free one. */
  ports: { smpp: number; smtp: number };
  /** Runs `work` after `ms` unless the sandbox closes first (automatic reads, delivery receipts). */
  later(ms: number, work: () => Promise<void>): void;
  /** Schedules the user's automatic read of a message when the user has `readDelayMs`. */
  scheduleRead(user: VirtualUser, platform: SimulatorName, messageId: string): void;
}

/** Raised by simulators for bad control-API input; answered as 400 (or `status`). */
export class SandboxInputError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 404 | 409 | 422 = 400,
  ) {
    super(message);
  }
}

export const userMessageInput = z
  .object({
    platform: z.enum(simulatorNames),
    text: z.string().max(10_000).default(''),
    /** Platform message id of a message the user received, to answer it as a reply. */
    replyTo: z.string().min(1).optional(),
    attachment: z
      .object({
        kind: z.enum(['photo', 'document', 'voice', 'video']),
        fileName: z.string().min(1).max(200).optional(),
        mimeType: z.string().min(3).max(100).optional(),
        /** File bytes; a small sample JPEG / text file when absent. */
        contentBase64: z.base64().max(70_000_000).optional(),
      })
      .strict()
      .optional(),
    /** Business account to write to (bot id, group id…) when the platform has several. */
    to: z.string().min(1).optional(),
  })
  .strict()
  .refine((input) => input.text.length > 0 || input.attachment, 'text or attachment is required');
export type UserMessageInput = z.output<typeof userMessageInput>;

export const buttonPressInput = z
  .object({
    platform: z.enum(simulatorNames),
    /** The received message carrying the button. */
    messageId: z.string().min(1),
    /** Button label, or its zero-based index. */
    button: z.union([z.string().min(1), z.number().int().min(0)]),
  })
  .strict();
export type ButtonPressInput = z.output<typeof buttonPressInput>;

export const readInput = z
  .object({
    platform: z.enum(simulatorNames),
    /** One message; all unread messages on the platform when absent. */
    messageId: z.string().min(1).optional(),
  })
  .strict();
export type ReadInput = z.output<typeof readInput>;

export const blockInput = z
  .object({
    platform: z.enum(simulatorNames),
    /** Business account blocked / unblocked (bot id, group id, bot URI…) when the platform has several. */
    to: z.string().min(1).optional(),
  })
  .strict();
export type BlockInput = z.output<typeof blockInput>;

export const seenInput = z
  .object({
    /** Minutes since the user last opened the app; 0 means they are online now. */
    minutesAgo: z.number().int().min(0).max(525_600),
  })
  .strict();

/**
 * One platform simulator. It serves the platform's real API under `mountPath` (same paths, bodies,
 * status codes and error shapes), sends the platform's real webhooks through `ctx.callbacks`, and
 * acts out what virtual users do.
 */
export interface SandboxPlatform {
  readonly name: SimulatorName;
  /** HTTP prefix of the platform API, e.g. `/telegram`; `null` for socket protocols (SMPP, SMTP). */
  readonly mountPath: string | null;
  readonly router?: Router;
  /** Answers a request with the platform's real rate-limit error (for the `rate-limit` fault). */
  rateLimitAnswer?(res: Response, retryAfterSeconds: number): void;
  /** Creates a business account (bot, community, WABA number, SMPP login…) from control-API input. */
  createAccount(body: unknown): Promise<object>;
  userMessage?(user: VirtualUser, input: UserMessageInput): Promise<{ messageId: string }>;
  pressButton?(user: VirtualUser, input: ButtonPressInput): Promise<void>;
  read?(user: VirtualUser, input: ReadInput): Promise<void>;
  /**
   * Sends the platform's real webhook for the user blocking (`blocked`) or unblocking the business.
   * The control API has already set `accounts[name].blocked`; called only when it changed. Absent
   * where the platform tells the business nothing (the control API answers 422).
   */
  setBlocked?(user: VirtualUser, blocked: boolean, to?: string): Promise<void>;
  /** Starts socket servers (SMPP, SMTP). */
  start?(): Promise<void>;
  stop?(): Promise<void>;
  /** Addresses the SDKs are pointed at (base URLs, ports) for `/_sandbox/info`. */
  info(): object;
}

export type SandboxPlatformFactory = (context: SandboxContext) => SandboxPlatform;

/** The button a control-API press names (by index or label) on a received message; 404 when it has none. */
export function pressedButton(
  message: ReceivedMessage,
  input: ButtonPressInput,
): ReceivedMessage['buttons'][number] {
  const button =
    typeof input.button === 'number'
      ? message.buttons[input.button]
      : message.buttons.find((candidate) => candidate.label === input.button);
  if (!button)
    throw new SandboxInputError(`message ${input.messageId} has no button ${String(input.button)}`, 404);
  return button;
}

/** Parses control-API input with a zod schema, raising `SandboxInputError` with every issue. */
export function parseControlInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const detail = result.error.issues
    .map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`)
    .join('; ');
  throw new SandboxInputError(detail);
}

/** The file a virtual user sends: the control-API input's bytes, type and name, else `fallback`'s. */
export function userFile(
  attachment: NonNullable<UserMessageInput['attachment']>,
  fallback: FileContent,
): FileContent {
  return {
    data: attachment.contentBase64 ? Buffer.from(attachment.contentBase64, 'base64') : fallback.data,
    mimeType: attachment.mimeType ?? fallback.mimeType,
    fileName: attachment.fileName ?? fallback.fileName,
  };
}
