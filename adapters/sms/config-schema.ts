import { z } from 'zod';

/** Alphanumeric sender ids are at most 11 characters (3GPP TS 23.040 TP-OA, 11 GSM characters). */
const alphanumericSender = /^(?=.*[A-Za-z])[A-Za-z0-9 .\-_&]{1,11}$/;
/** A numeric sender: a short code or an MSISDN, optionally with `+` (stripped before sending). */
const numericSender = /^\+?\d{3,15}$/;

/**
 * An SMPP 3.4 account at an SMSC (the operator's or an aggregator's). `password` is a C-Octet String
 * of at most 9 octets including the NUL, so at most 8 characters (SMPP 3.4 §4.1.1); `system_id` at
 * most 15, `system_type` at most 12.
 */
export const smsConfigSchema = z
  .object({
    host: z.string().min(1).max(253),
    port: z.number().int().min(1).max(65_535).default(2775),
    systemId: z.string().min(1).max(15),
    password: z.string().min(1).max(8),
    systemType: z.string().max(12).optional(),
    /** Sender: an alphanumeric name (≤ 11 characters) or a number. */
    sourceAddr: z
      .string()
      .refine(
        (value) => alphanumericSender.test(value) || numericSender.test(value),
        'sourceAddr must be an alphanumeric sender (at most 11 characters) or a number',
      ),
    /** Type of number of the sender; derived from `sourceAddr` when absent (5 alphanumeric, 1 international). */
    sourceTon: z.number().int().min(0).max(6).optional(),
    /** Numbering plan of the sender; derived when absent (0 for alphanumeric, 1 ISDN). */
    sourceNpi: z.number().int().min(0).max(18).optional(),
    /** Seconds between enquire_link keep-alives. */
    enquireLinkSeconds: z.number().int().min(5).max(600).default(30),
    /** Most concatenated parts one message may take. */
    maxParts: z.number().int().min(1).max(10).default(6),
    /** Submissions per second the SMSC account is contracted for (aggregators sell 10–100 TPS). */
    throughputPerSecond: z.number().int().min(1).max(1000).default(10),
  })
  .strict();

/** A channel's stored SMS config (after defaults). */
export interface SmsConfig extends Record<string, unknown> {
  host: string;
  port: number;
  systemId: string;
  password: string;
  systemType?: string | undefined;
  sourceAddr: string;
  sourceTon?: number | undefined;
  sourceNpi?: number | undefined;
  enquireLinkSeconds: number;
  maxParts: number;
  throughputPerSecond: number;
}

/**
 * The sender address fields of submit_sm. TON/NPI, when not configured, follow the address:
 * alphanumeric 5/0, a full number (8+ digits) international 1/1, a short code network-specific 3/0.
 */
export function senderAddress(config: SmsConfig): { addr: string; ton: number; npi: number } {
  if (!numericSender.test(config.sourceAddr)) {
    return { addr: config.sourceAddr, ton: config.sourceTon ?? 5, npi: config.sourceNpi ?? 0 };
  }
  const addr = config.sourceAddr.replace(/^\+/, '');
  const international = addr.length >= 8;
  return {
    addr,
    ton: config.sourceTon ?? (international ? 1 : 3),
    npi: config.sourceNpi ?? (international ? 1 : 0),
  };
}
