import { isDuplicateKey } from '../storage/duplicate-key';
import type { Models } from '../storage/models';
import { TenantRepository, type WorkspaceId } from '../storage/tenant-repository';
import { hashPassword } from './passwords';
import type { OperatorRole } from './scopes';

export interface AddOperatorInput {
  email: string;
  role: OperatorRole;
  password: string;
  name?: string;
  /** Conversations auto-assignment gives this operator at most (default 5). */
  maxConversations?: number;
}

export class OperatorExistsError extends Error {
  override readonly name = 'OperatorExistsError';
}

/** Adds an operator to a workspace; one account per e-mail per workspace. */
export async function addOperator(models: Models, workspaceId: WorkspaceId, input: AddOperatorInput) {
  const repo = new TenantRepository(models.Operator);
  const email = input.email.trim().toLowerCase();
  if (await repo.findOne(workspaceId, { email })) {
    throw new OperatorExistsError(`An operator with e-mail ${email} already exists in this workspace.`);
  }
  const doc = await repo
    .create(workspaceId, {
      email,
      name: input.name ?? '',
      role: input.role,
      passwordHash: await hashPassword(input.password),
      disabledAt: null,
      maxConversations: input.maxConversations ?? 5,
    })
    .catch((error: unknown) => {
      if (isDuplicateKey(error)) {
        throw new OperatorExistsError(`An operator with e-mail ${email} already exists in this workspace.`);
      }
      throw error;
    });
  return { id: String(doc._id), email: doc.email, role: doc.role, name: doc.name, createdAt: doc.createdAt };
}
