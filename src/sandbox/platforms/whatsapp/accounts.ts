import { z } from 'zod';
import type { SandboxContext } from '../../sandbox-platform';

/** A WhatsApp Business phone number with its WABA, its system-user token and its app's secret. */
export interface WhatsappAccount {
  phoneNumberId: string;
  wabaId: string;
  accessToken: string;
  appSecret: string;
  /** Digits only, as in webhook `metadata.display_phone_number`. */
  displayPhoneNumber: string;
  /** A verified callback (Meta only sends webhooks to URLs that passed the GET handshake). */
  callback: { url: string; verifyToken: string } | null;
  /** How long template review takes before Meta's verdict. */
  templateReviewMs: number;
  createdAt: number;
}

export const createAccountInput = z
  .object({
    /** The app's callback URL (App Dashboard); verified with Meta's GET handshake. */
    callbackUrl: z.url().max(2000).optional(),
    verifyToken: z.string().min(1).max(256).optional(),
    displayPhoneNumber: z
      .string()
      .regex(/^\d{8,15}$/, 'digits only, e.g. 15550783881')
      .optional(),
    templateReviewMs: z.number().int().min(0).max(600_000).default(300),
  })
  .strict()
  .refine((input) => Boolean(input.callbackUrl) === Boolean(input.verifyToken), {
    message: 'callbackUrl and verifyToken go together',
  });
export type CreateAccountInput = z.output<typeof createAccountInput>;

const digits = (context: SandboxContext, count: number): string =>
  String(context.random.int(1, 9)) +
  Array.from({ length: count - 1 }, () => context.random.int(0, 9)).join('');

/** Business accounts of the simulator, looked up by token, phone number id or WABA id. */
export class WhatsappAccounts {
  private readonly accounts: WhatsappAccount[] = [];

  constructor(private readonly context: SandboxContext) {}

  create(input: CreateAccountInput): WhatsappAccount {
    const account: WhatsappAccount = {
      phoneNumberId: digits(this.context, 15),
      wabaId: digits(this.context, 15),
      accessToken: `EAAG${this.context.random.token(160)}`,
      appSecret: this.context.random.hex(32),
      displayPhoneNumber: input.displayPhoneNumber ?? `1555${digits(this.context, 7)}`,
      callback: null,
      templateReviewMs: input.templateReviewMs,
      createdAt: this.context.clock.nowMs(),
    };
    this.accounts.push(account);
    return account;
  }

  byToken(token: string): WhatsappAccount | undefined {
    return this.accounts.find((account) => account.accessToken === token);
  }

  byPhoneNumberId(id: string): WhatsappAccount | undefined {
    return this.accounts.find((account) => account.phoneNumberId === id);
  }

  /** The account a user writes to: the one named (`to`), else the newest. */
  pick(to: string | undefined): WhatsappAccount | undefined {
    if (to)
      return this.accounts.find(
        (account) => account.phoneNumberId === to || account.displayPhoneNumber === to,
      );
    return this.accounts.at(-1);
  }

  count(): number {
    return this.accounts.length;
  }
}
