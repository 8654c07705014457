import type { ParsedMail } from 'mailparser';
import type {
  SMTPServerAddress,
  SMTPServerAuthentication,
  SMTPServerAuthenticationResponse,
  SMTPServerDataStream,
  SMTPServerError,
  SMTPServerSession,
} from 'smtp-server';
import type { SandboxContext } from '../../sandbox-platform';
import type { SmtpAccounts } from './accounts';
import { headersOf, imagesIn, linksIn, parseMessage, readData } from './message-reader';
import { replies, smtpError } from './smtp-replies';

/**
 * Largest message accepted: 25 MB, Gmail's "You can send up to 25 MB in attachments"
 * (https://support.google.com/mail/answer/6584). Larger DATA gets `552 5.3.4`.
 */
export const maxMessageBytes = 25 * 1024 * 1024;

/** How a transaction ends: a reply, or none at all (the `timeout` fault). */
type DataOutcome = { error: SMTPServerError } | { accepted: string } | 'hold';

const envelopeOf = (session: SMTPServerSession) => ({
  mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
  rcptTo: session.envelope.rcptTo.map((recipient) => recipient.address),
  user: typeof session.user === 'string' ? session.user : null,
});

const pathOf = (envelope: { mailFrom: string; rcptTo: string[] }): string =>
  `${envelope.mailFrom} → ${envelope.rcptTo.join(', ')}`;

const addressText = (value: ParsedMail['to']): string | null =>
  value === undefined
    ? null
    : [value]
        .flat()
        .map((address) => address.text)
        .join(', ');

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** What the SMTP server does at each step of a session: AUTH, MAIL FROM, RCPT TO, DATA. */
export class SmtpHandlers {
  constructor(
    private readonly context: SandboxContext,
    private readonly accounts: SmtpAccounts,
  ) {}

  auth(
    auth: SMTPServerAuthentication,
    callback: (error: Error | null | undefined, response?: SMTPServerAuthenticationResponse) => void,
  ): void {
    const account = this.accounts.authenticate(auth.username, auth.password);
    if (account) {
      callback(null, { user: account.user });
      return;
    }
    this.logRefusal('AUTH', auth.username ?? '', { method: auth.method, username: auth.username ?? null });
    callback(null, replies.badCredentials);
  }

  mailFrom(
    address: SMTPServerAddress,
    session: SMTPServerSession,
    callback: (error?: Error | null) => void,
  ): void {
    const account = typeof session.user === 'string' ? this.accounts.get(session.user) : undefined;
    if (account && !this.accounts.maySendAs(account, address.address)) {
      const error = replies.senderNotOwned();
      this.logRefusal('MAIL', address.address, { mailFrom: address.address, reply: error.message });
      callback(error);
      return;
    }
    callback();
  }

  rcptTo(
    address: SMTPServerAddress,
    session: SMTPServerSession,
    callback: (error?: Error | null) => void,
  ): void {
    if (this.context.users.byEmail(address.address)) {
      callback();
      return;
    }
    const error = replies.userUnknown();
    const mailFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
    this.logRefusal('RCPT', `${mailFrom} → ${address.address}`, {
      mailFrom,
      rcptTo: address.address,
      reply: error.message,
    });
    callback(error);
  }

  data(
    stream: SMTPServerDataStream,
    session: SMTPServerSession,
    callback: (error?: Error | null, message?: string) => void,
  ): void {
    this.receive(stream, session)
      .catch((error: unknown) => {
        this.context.logger.warn({ err: error }, 'sandbox email: could not read a message');
        return { error: smtpError(451, 'Local error in processing. Please try again later.') };
      })
      .then((outcome) => {
        if (outcome === 'hold') return;
        if ('error' in outcome) callback(outcome.error);
        else callback(null, outcome.accepted);
      });
  }

  private async receive(stream: SMTPServerDataStream, session: SMTPServerSession): Promise<DataOutcome> {
    const envelope = envelopeOf(session);
    const data = await readData(stream, maxMessageBytes);
    if (data.oversized) {
      // `rejectOversized` makes the server answer `552 5.3.4` whatever we say; nothing is delivered.
      this.logData(envelope, { envelope, size: data.bytes, oversized: true }, null);
      return { error: smtpError(552, 'Message size exceeds fixed maximum message size') };
    }
    const parsed = await parseMessage(data.raw);
    this.logData(envelope, this.describe(parsed, envelope, data.raw.length), parsed);
    const faulted = await this.applyFaults();
    if (faulted) return faulted;
    this.deliver(parsed, envelope);
    const queueId = `${Math.floor(this.context.clock.nowMs() / 1000)} ${this.context.random.token(12)}`;
    return { accepted: `OK ${queueId} - vestnik-sandbox` };
  }

  /** The injected API faults, as an SMTP server shows them: a slow reply, none, or a 4xx. */
  private async applyFaults(): Promise<DataOutcome | null> {
    for (const fault of this.context.faults.takeApiFaults('email')) {
      if (fault.kind === 'latency') await sleep(fault.ms);
      if (fault.kind === 'timeout') return 'hold';
      if (fault.kind === 'server-error') return { error: replies.temporaryError() };
      if (fault.kind === 'rate-limit') return { error: replies.rateLimited(fault.retryAfterSeconds) };
    }
    return null;
  }

  private deliver(parsed: ParsedMail, envelope: ReturnType<typeof envelopeOf>): void {
    const messageId = parsed.messageId ?? `<${this.context.random.hex(24)}@sandbox.vestnik.local>`;
    for (const address of envelope.rcptTo) {
      const user = this.context.users.byEmail(address);
      // A mailbox keeps one copy of messages sharing a Message-ID (what Gmail does with a resend).
      if (!user || this.context.users.findReceived(user, 'email', messageId)) continue;
      this.context.users.deliver(user, {
        platform: 'email',
        messageId,
        from: parsed.from?.value[0]?.address ?? envelope.mailFrom,
        via: 'email',
        text: parsed.text ?? '',
        buttons: parsed.html ? linksIn(parsed.html) : [],
        images: imagesIn(parsed),
        subject: parsed.subject ?? '',
        ...(parsed.inReplyTo ? { replyTo: parsed.inReplyTo } : {}),
      });
    }
  }

  private describe(parsed: ParsedMail, envelope: ReturnType<typeof envelopeOf>, size: number): object {
    return {
      envelope,
      size,
      messageId: parsed.messageId ?? null,
      subject: parsed.subject ?? null,
      from: parsed.from?.text ?? null,
      to: addressText(parsed.to),
      replyTo: parsed.replyTo?.text ?? null,
      inReplyTo: parsed.inReplyTo ?? null,
      headers: headersOf(parsed),
      text: parsed.text ?? null,
      html: parsed.html || null,
      attachments: parsed.attachments.map((attachment) => ({
        filename: attachment.filename ?? null,
        contentType: attachment.contentType,
        size: attachment.size,
        cid: attachment.cid ?? null,
        disposition: attachment.contentDisposition,
      })),
    };
  }

  private logData(
    envelope: { mailFrom: string; rcptTo: string[] },
    body: object,
    parsed: ParsedMail | null,
  ): void {
    const contentType = parsed ? (headersOf(parsed)['content-type'] ?? null) : null;
    this.context.log.request({
      platform: 'email',
      method: 'DATA',
      path: pathOf(envelope),
      contentType,
      body,
    });
  }

  private logRefusal(method: 'AUTH' | 'MAIL' | 'RCPT', path: string, body: object): void {
    this.context.log.request({ platform: 'email', method, path, contentType: null, body });
  }
}
