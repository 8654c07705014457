import {
  defaultRateLimitDelayMs,
  delayNamedIn,
  mapSmtpFailure,
  type SmtpFailure,
  smtpFailureOf,
} from '../../../adapters/email/error-mapping';
import gmail from '../../fixtures/email/gmail-smtp-replies.json';

describe('email: SMTP failure mapping', () => {
  it.each(gmail.replies)('$response → $expected.kind', (reply) => {
    const failure: SmtpFailure = {
      message: 'Message failed',
      code: reply.code,
      command: reply.command,
      response: reply.response,
      responseCode: reply.responseCode,
    };
    expect(mapSmtpFailure(failure)).toEqual({
      ok: false,
      failure: expect.objectContaining({ ...reply.expected, code: reply.responseCode }),
    });
  });

  it('names the delay a throttling reply gives, in seconds or minutes', () => {
    expect(delayNamedIn('Too many messages, try again in 7 seconds')).toBe(7_000);
    expect(delayNamedIn('Please resend your message in 30 seconds.')).toBe(30_000);
    expect(delayNamedIn('Ratelimit exceeded, retry after 2 minutes')).toBe(120_000);
    expect(delayNamedIn('retry in 15s')).toBe(15_000);
    expect(delayNamedIn('Please resend your message at a later time.')).toBeNull();
    const throttled = mapSmtpFailure({
      message: 'x',
      responseCode: 451,
      response: '451 4.7.1 Ratelimit exceeded for mailbox. Try again later.',
    });
    expect(throttled).toMatchObject({
      failure: { kind: 'rate-limited', retryAfterMs: defaultRateLimitDelayMs },
    });
  });

  it('keeps the permanent class over throttling words (5xx never becomes rate-limited)', () => {
    const result = mapSmtpFailure({
      message: 'x',
      responseCode: 554,
      response: '554 5.7.0 Too many messages rejected, sending rate exceeded',
    });
    expect(result).toMatchObject({ failure: { kind: 'permanent', reason: 'rejected', code: 554 } });
  });

  it('treats a permanent refusal of MAIL FROM as our sender not being allowed', () => {
    const result = mapSmtpFailure({
      message: 'Mail command failed',
      code: 'EENVELOPE',
      command: 'MAIL FROM',
      responseCode: 553,
      response: '553 5.7.1 Sender address rejected: not owned by auth user.',
    });
    expect(result).toMatchObject({ failure: { kind: 'permanent', reason: 'not-allowed', code: 553 } });
  });

  it('falls back on the reply class for codes not in the table', () => {
    expect(mapSmtpFailure({ message: 'x', responseCode: 471, response: '471 local trouble' })).toMatchObject({
      failure: { kind: 'retryable', code: 471 },
    });
    expect(mapSmtpFailure({ message: 'x', responseCode: 557, response: '557 no' })).toMatchObject({
      failure: { kind: 'permanent', reason: 'rejected', code: 557 },
    });
  });

  it.each([
    ['ECONNECTION', 'retryable'],
    ['ETIMEDOUT', 'retryable'],
    ['ESOCKET', 'retryable'],
    ['EDNS', 'retryable'],
    ['EAUTH', 'permanent'],
    ['ENOAUTH', 'permanent'],
    ['ESOMETHINGNEW', 'retryable'],
  ])('maps nodemailer %s without an SMTP reply to %s', (code, kind) => {
    expect(mapSmtpFailure({ message: 'connection trouble', code })).toMatchObject({
      failure: { kind, code },
    });
  });

  it('reads what nodemailer throws, ignoring fields of the wrong type', () => {
    const thrown = Object.assign(new Error('Message failed'), {
      code: 'EMESSAGE',
      responseCode: 451,
      response: '451 4.3.0 Temporary server error',
      command: 'DATA',
    });
    expect(smtpFailureOf(thrown)).toEqual({
      message: 'Message failed',
      code: 'EMESSAGE',
      responseCode: 451,
      response: '451 4.3.0 Temporary server error',
      command: 'DATA',
    });
    expect(smtpFailureOf(Object.assign(new Error('odd'), { responseCode: '451' }))).toEqual({
      message: 'odd',
    });
    expect(smtpFailureOf('plain string')).toEqual({ message: 'plain string' });
  });
});
