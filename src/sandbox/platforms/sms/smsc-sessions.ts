import type { Session } from 'smpp';
import type { SmscAccount } from './accounts';

export type BindMode = 'transmitter' | 'receiver' | 'transceiver';

/** A connected ESME: bound (to an account, in a mode) or not yet. */
export interface EsmeSession {
  session: Session;
  account: SmscAccount | null;
  mode: BindMode | null;
}

/** The ESME sessions connected to the simulated SMSC. */
export class SmscSessions {
  private readonly sessions = new Map<Session, EsmeSession>();

  add(session: Session): EsmeSession {
    const entry: EsmeSession = { session, account: null, mode: null };
    this.sessions.set(session, entry);
    return entry;
  }

  remove(session: Session): void {
    this.sessions.delete(session);
  }

  all(): EsmeSession[] {
    return [...this.sessions.values()];
  }

  /**
   * A session of `systemId` that may receive deliver_sm (receiver or transceiver), preferring
   * `preferred` (receipts go back on the bind that submitted, when it can take them).
   */
  receiverFor(systemId: string, preferred?: Session): EsmeSession | undefined {
    const candidates = this.all().filter(
      (entry) =>
        entry.account?.systemId === systemId &&
        entry.mode !== 'transmitter' &&
        !entry.session.socket.destroyed,
    );
    return candidates.find((entry) => entry.session === preferred) ?? candidates[0];
  }

  destroyAll(): void {
    for (const entry of this.sessions.values()) entry.session.destroy();
    this.sessions.clear();
  }
}
