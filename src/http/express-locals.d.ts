import type { Principal } from '../auth/principal';

declare global {
  namespace Express {
    interface Locals {
      /** Set by `authenticate` on routes that need credentials. */
      principal?: Principal;
      /** The request id, echoed in `X-Request-Id` and in every problem document. */
      requestId: string;
    }
  }
}
