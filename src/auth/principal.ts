import type { WorkspaceId } from '../storage/tenant-repository';
import type { OperatorRole, Scope } from './scopes';

/** Who is calling, resolved from an API key or an operator session. */
export type Principal =
  | {
      kind: 'apiKey';
      workspaceId: WorkspaceId;
      keyId: string;
      /** See credential-revocations.ts: what a revocation of this credential is announced as. */
      credentialId: string;
      scopes: readonly Scope[];
    }
  | {
      kind: 'operator';
      workspaceId: WorkspaceId;
      operatorId: string;
      role: OperatorRole;
      credentialId: string;
      /** When the session ends; realtime connections are closed then. */
      expiresAt: Date;
      scopes: readonly Scope[];
    };
