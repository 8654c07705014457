import type { WorkspaceId } from '../storage/tenant-repository';
import type { OperatorRole, Scope } from './scopes';

/** Who is calling, resolved from an API key or an operator session. */
export type Principal =
  | { kind: 'apiKey'; workspaceId: WorkspaceId; keyId: string; scopes: readonly Scope[] }
  | {
      kind: 'operator';
      workspaceId: WorkspaceId;
      operatorId: string;
      role: OperatorRole;
      scopes: readonly Scope[];
    };
