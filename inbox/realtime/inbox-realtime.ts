import type { Socket } from 'socket.io';
import type { Principal } from '../../src/auth/principal';
import type { AnyInboxAction } from '../actions/inbox-action';
import type { InboxCore } from '../inbox-core';
import type { InboxEvents } from './inbox-events';

export interface InboxRealtime {
  /** The events every other part publishes through. */
  events: InboxEvents;
  attachSocket(socket: Socket, principal: Principal, actions: readonly AnyInboxAction[]): void;
  startWorker(): Promise<void>;
}

export function createInboxRealtime(
  core: Omit<InboxCore, 'events'> & { events: InboxEvents },
): InboxRealtime {
  return { events: core.events, attachSocket() {}, async startWorker() {} };
}
