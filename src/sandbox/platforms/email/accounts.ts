import { z } from 'zod';
import { safeEqual, sha256Hex } from '../../../auth/secrets';
import { parseControlInput, SandboxInputError } from '../../sandbox-platform';
import type { SeededRandom } from '../../seeded-random';

/** `POST /_sandbox/accounts {platform: 'email', ...}`: an SMTP submission login. */
export const smtpAccountInput = z
  .object({
    /** SMTP AUTH user name; `relay-<hex>` when absent. */
    user: z
      .string()
      .min(1)
      .max(320)
      .regex(/^[^\s:]+$/, 'user must have no spaces or colons')
      .optional(),
    /** SMTP AUTH password; a random 24-character one when absent. */
    password: z.string().min(8).max(200).optional(),
    /**
     * Addresses this login may send as (MAIL FROM). Providers refuse others, e.g. Yandex
     * `553 5.7.1 Sender address rejected: not owned by auth user`. Any sender when absent.
     */
    senders: z.array(z.email()).min(1).max(50).optional(),
  })
  .strict();

export interface SmtpAccount {
  user: string;
  password: string;
  senders: readonly string[] | null;
}

/** The simulator's SMTP logins. */
export class SmtpAccounts {
  private readonly accounts = new Map<string, SmtpAccount>();

  constructor(private readonly random: SeededRandom) {}

  create(body: unknown): SmtpAccount {
    const input = parseControlInput(smtpAccountInput, body);
    const user = input.user ?? `relay-${this.random.hex(8)}`;
    if (this.accounts.has(user)) throw new SandboxInputError(`SMTP user ${user} already exists`, 409);
    const account: SmtpAccount = {
      user,
      password: input.password ?? this.random.token(24),
      senders: input.senders?.map((sender) => sender.toLowerCase()) ?? null,
    };
    this.accounts.set(user, account);
    return account;
  }

  /** The account when the password matches (compared in constant time), else `null`. */
  authenticate(user: string | undefined, password: string | null | undefined): SmtpAccount | null {
    const account = user === undefined ? undefined : this.accounts.get(user);
    const matches = safeEqual(sha256Hex(password ?? ''), sha256Hex(account?.password ?? '\u0000'));
    return account && matches ? account : null;
  }

  get(user: string): SmtpAccount | undefined {
    return this.accounts.get(user);
  }

  /** Whether the login may use `address` as its envelope sender. */
  maySendAs(account: SmtpAccount, address: string): boolean {
    return account.senders === null || account.senders.includes(address.toLowerCase());
  }
}
