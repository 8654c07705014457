import type { AnyRoute } from '../../src/http/route-definition';
import type { AnyInboxAction } from '../actions/inbox-action';
import type { InboxCore } from '../inbox-core';

export interface OperatorApi {
  routes: AnyRoute[];
  actions: AnyInboxAction[];
  startWorker(): Promise<void>;
}

export function createOperatorApi(_core: InboxCore): OperatorApi {
  return { routes: [], actions: [], async startWorker() {} };
}
