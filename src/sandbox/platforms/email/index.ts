import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { SandboxContext, SandboxPlatform, SandboxPlatformFactory } from '../../sandbox-platform';
import { SmtpAccounts } from './accounts';
import { maxMessageBytes, SmtpHandlers } from './smtp-handlers';

/**
 * An SMTP submission server (the `smtp-server` package) that delivers into virtual users'
 * mailboxes. It requires AUTH (PLAIN or LOGIN) against the accounts created through the control
 * API, refuses unknown recipients at RCPT (`550 5.1.1`), messages over 25 MB (`552 5.3.4`), and
 * turns the sandbox API faults into what an SMTP server does: a slow reply, no reply, `451 4.3.0`
 * or Gmail's `450 4.2.1` throttling reply.
 *
 * Not reproduced: STARTTLS / implicit TLS (no certificates offline, so the command is disabled
 * and AUTH is allowed in clear text — point the adapter at it with `requireTls: false`), DSN,
 * bounces after acceptance, spam filtering, read receipts.
 */
class EmailSimulator implements SandboxPlatform {
  readonly name = 'email' as const;
  readonly mountPath = null;
  private readonly accounts: SmtpAccounts;
  private readonly server: SMTPServer;
  private port = 0;

  constructor(private readonly context: SandboxContext) {
    this.accounts = new SmtpAccounts(context.random);
    const handlers = new SmtpHandlers(context, this.accounts);
    this.server = new SMTPServer({
      name: 'smtp.sandbox.vestnik.local',
      banner: 'Vestnik sandbox ESMTP',
      authMethods: ['PLAIN', 'LOGIN'],
      authOptional: false,
      allowInsecureAuth: true,
      disabledCommands: ['STARTTLS'],
      size: maxMessageBytes,
      rejectOversized: true,
      hideENHANCEDSTATUSCODES: false,
      disableReverseLookup: true,
      logger: false,
      closeTimeout: 1_000,
      onAuth: (auth, _session, callback) => handlers.auth(auth, callback),
      onMailFrom: (address, session, callback) => handlers.mailFrom(address, session, callback),
      onRcptTo: (address, session, callback) => handlers.rcptTo(address, session, callback),
      onData: (stream, session, callback) => handlers.data(stream, session, callback),
    });
    this.server.on('error', (error) => context.logger.warn({ err: error }, 'sandbox email: SMTP error'));
  }

  async createAccount(body: unknown): Promise<object> {
    const account = this.accounts.create(body);
    return {
      user: account.user,
      password: account.password,
      senders: account.senders,
      host: this.context.host,
      port: this.port,
    };
  }

  start(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.server.once('error', reject);
      this.server.listen(this.context.ports.smtp, this.context.host, () => {
        this.server.server.off('error', reject);
        this.port = (this.server.server.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  info(): object {
    return { host: this.context.host, port: this.port };
  }
}

export const emailSimulator: SandboxPlatformFactory = (context) => new EmailSimulator(context);
