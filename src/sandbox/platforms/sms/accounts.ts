import { z } from 'zod';
import { parseControlInput, SandboxInputError } from '../../sandbox-platform';
import type { SeededRandom } from '../../seeded-random';

/** An ESME account at the simulated SMSC. */
export interface SmscAccount {
  systemId: string;
  password: string;
  /** Number users text to reach this account (MO destination_addr). */
  moNumber: string;
  /** Contracted submit_sm throughput; more in one second is answered ESME_RTHROTTLED. */
  throughputPerSecond: number;
}

/** `POST /_sandbox/accounts {platform: 'sms', ...}`: SMPP 3.4 limits system_id ≤ 15, password ≤ 8. */
export const smscAccountInput = z
  .object({
    systemId: z
      .string()
      .regex(/^[\x21-\x7e]{1,15}$/, 'system_id: 1–15 printable ASCII characters')
      .optional(),
    password: z
      .string()
      .regex(/^[\x21-\x7e]{1,8}$/, 'password: 1–8 printable ASCII characters')
      .optional(),
    moNumber: z
      .string()
      .regex(/^\d{3,15}$/)
      .optional(),
    throughputPerSecond: z.number().int().min(1).max(10_000).default(100),
  })
  .strict();

export class SmscAccounts {
  private readonly accounts = new Map<string, SmscAccount>();

  constructor(private readonly random: SeededRandom) {}

  create(body: unknown): SmscAccount {
    const input = parseControlInput(smscAccountInput, body);
    const systemId = input.systemId ?? `esme${this.random.int(10_000, 99_999)}`;
    if (this.accounts.has(systemId)) throw new SandboxInputError(`system_id ${systemId} exists`, 409);
    const account: SmscAccount = {
      systemId,
      password: input.password ?? this.random.token(8),
      moNumber: input.moNumber ?? String(this.random.int(1000, 9999)),
      throughputPerSecond: input.throughputPerSecond,
    };
    this.accounts.set(systemId, account);
    return account;
  }

  get(systemId: string): SmscAccount | undefined {
    return this.accounts.get(systemId);
  }

  all(): SmscAccount[] {
    return [...this.accounts.values()];
  }
}
