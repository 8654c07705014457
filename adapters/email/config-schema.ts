import { z } from 'zod';

/** The sender: an address with an optional display name (`"Shop" <noreply@shop.example>`). */
export type EmailSender = { address: string; name?: string };

/** Connection pool settings (nodemailer's pooled SMTP transport). */
export type EmailPoolConfig = {
  /** Open SMTP connections at most; nodemailer's default is 5. */
  maxConnections: number;
  /** Messages one connection sends before it is replaced; nodemailer's default is 100. */
  maxMessages: number;
  /** Sends per second this channel allows (the core's limiter uses it; see `capabilities`). */
  messagesPerSecond: number;
};

/** What an e-mail channel stores. `password` is secret (encrypted at rest, never echoed whole). */
export type EmailConfig = {
  /** SMTP submission host, e.g. `smtp.yandex.ru`. */
  host: string;
  /** 587 (submission + STARTTLS) or 465 (implicit TLS, `secure: true`). */
  port: number;
  /** Implicit TLS from the first byte (port 465). */
  secure: boolean;
  /** Refuse to send unless the server upgrades the connection with STARTTLS. */
  requireTls: boolean;
  /** SMTP AUTH login; absent for relays that authorise by IP. */
  user?: string;
  password?: string;
  from: EmailSender;
  /** Where replies go when it is not `from`. */
  replyTo?: string;
  pool: EmailPoolConfig;
};

const headerSafe = /^[^\r\n"<>]*$/;

const senderSchema = z
  .object({
    address: z.email(),
    name: z
      .string()
      .min(1)
      .max(100)
      .regex(headerSafe, 'name must not contain line breaks, quotes or angle brackets')
      .optional(),
  })
  .strict();

const poolSchema = z
  .object({
    maxConnections: z.number().int().min(1).max(50).default(5),
    maxMessages: z.number().int().min(1).max(10_000).default(100),
    messagesPerSecond: z.number().int().min(1).max(1000).default(10),
  })
  .strict();

export const emailConfigSchema: z.ZodType<EmailConfig> = z
  .object({
    host: z.string().min(1).max(253).describe('SMTP submission host'),
    port: z.number().int().min(1).max(65_535).default(587),
    secure: z.boolean().default(false).describe('implicit TLS (port 465)'),
    requireTls: z.boolean().default(true).describe('require STARTTLS before AUTH and MAIL'),
    user: z.string().min(1).max(320).optional(),
    password: z.string().min(1).max(1024).optional(),
    from: senderSchema,
    replyTo: z.email().optional(),
    pool: poolSchema.default({ maxConnections: 5, maxMessages: 100, messagesPerSecond: 10 }),
  })
  .strict()
  .refine((config) => (config.user === undefined) === (config.password === undefined), {
    message: 'user and password go together: give both, or neither for a relay that needs no login',
    path: ['password'],
  });

/** Fields encrypted at rest and masked in API answers. */
export const emailSecretFields = ['password'] as const;
