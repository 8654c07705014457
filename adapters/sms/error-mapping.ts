import { permanent, rateLimited, retryable, type SendResult } from '../contract';

/**
 * Delay reported for SMPP throttling. ESME_RTHROTTLED / ESME_RMSGQFUL carry no retry delay in
 * SMPP 3.4, so Vestnik waits a fixed second — one window of the account's per-second throughput.
 */
export const throttleRetryAfterMs = 1_000;

type Failure = Extract<SendResult, { ok: false }>;
type StatusMapper = (code: string) => Failure;

/** `command_status` values (SMPP 3.4 §5.1.3) Vestnik tells apart. */
export const commandStatus = {
  ESME_RMSGQFUL: 0x14,
  ESME_RTHROTTLED: 0x58,
  ESME_RINVDSTADR: 0x0b,
  ESME_RINVDSTTON: 0x50,
  ESME_RINVDSTNPI: 0x51,
  ESME_RINVPASWD: 0x0e,
  ESME_RINVSYSID: 0x0f,
  ESME_RBINDFAIL: 0x0d,
  ESME_RSYSERR: 0x08,
  ESME_RSUBMITFAIL: 0x45,
  ESME_RINVBNDSTS: 0x04,
  ESME_RINVMSGLEN: 0x01,
  ESME_RINVSRCADR: 0x0a,
  ESME_RINVESMCLASS: 0x43,
  ESME_RINVEXPIRY: 0x62,
} as const;

const byStatus: ReadonlyMap<number, StatusMapper> = new Map<number, StatusMapper>([
  [commandStatus.ESME_RTHROTTLED, (code) => rateLimited(throttleRetryAfterMs, code)],
  [commandStatus.ESME_RMSGQFUL, (code) => rateLimited(throttleRetryAfterMs, code)],
  [
    commandStatus.ESME_RINVDSTADR,
    (code) => permanent('recipient-invalid', 'the SMSC refused the destination address', code),
  ],
  [commandStatus.ESME_RINVDSTTON, (code) => permanent('recipient-invalid', 'destination TON refused', code)],
  [commandStatus.ESME_RINVDSTNPI, (code) => permanent('recipient-invalid', 'destination NPI refused', code)],
  [commandStatus.ESME_RINVPASWD, (code) => permanent('auth', 'the SMSC refused the password', code)],
  [commandStatus.ESME_RINVSYSID, (code) => permanent('auth', 'the SMSC does not know this system_id', code)],
  [commandStatus.ESME_RBINDFAIL, (code) => permanent('auth', 'the SMSC refused the bind', code)],
  [commandStatus.ESME_RSYSERR, (code) => retryable('SMSC system error', code)],
  [commandStatus.ESME_RSUBMITFAIL, (code) => retryable('SMSC submit failed', code)],
  [commandStatus.ESME_RINVBNDSTS, (code) => retryable('the session is not bound', code)],
  [
    commandStatus.ESME_RINVMSGLEN,
    (code) => permanent('content-too-long', 'the SMSC refused the length', code),
  ],
  [commandStatus.ESME_RINVSRCADR, (code) => permanent('not-allowed', 'the SMSC refused the sender', code)],
  [
    commandStatus.ESME_RINVEXPIRY,
    (code) => permanent('content-invalid', 'the SMSC refused the validity', code),
  ],
]);

/** Name of a status for failure codes and logs, e.g. `ESME_RTHROTTLED`, else `0x000000ff`. */
export function statusName(status: number): string {
  const entry = Object.entries(commandStatus).find(([, value]) => value === status);
  return entry ? entry[0] : `0x${status.toString(16).padStart(8, '0')}`;
}

/** Maps a non-zero `command_status` to a typed failure; unknown codes are permanent `rejected`. */
export function mapCommandStatus(status: number): Failure {
  const code = statusName(status);
  return byStatus.get(status)?.(code) ?? permanent('rejected', `the SMSC answered ${code}`, code);
}
