import { createApiKey } from '../auth/api-keys';
import { addOperator } from '../auth/operators';
import { generatePassword } from '../auth/passwords';
import { defaultApiKeyScopes } from '../auth/scopes';
import type { Models } from '../storage/models';
import { trustedWorkspaceId } from '../storage/tenant-repository';

export interface CreateWorkspaceInput {
  name: string;
  adminEmail?: string;
  demo?: boolean;
}

export interface CreatedWorkspace {
  workspaceId: string;
  apiKey: string;
  admin: { email: string; password: string };
}

/**
 * Creates a workspace with a business API key (every scope but template moderation) and an
 * admin operator with a generated password. The key and the password are returned once.
 */
export async function createWorkspace(
  models: Models,
  input: CreateWorkspaceInput,
): Promise<CreatedWorkspace> {
  const workspace = await models.Workspace.create({ name: input.name, demo: input.demo ?? false });
  const workspaceId = trustedWorkspaceId(String(workspace._id));
  const key = await createApiKey(models, workspaceId, { name: 'default', scopes: defaultApiKeyScopes });
  const email = input.adminEmail ?? `admin@${slug(input.name)}.local`;
  const password = generatePassword();
  await addOperator(models, workspaceId, { email, role: 'admin', password, name: 'Administrator' });
  return { workspaceId, apiKey: key.key, admin: { email, password } };
}

function slug(name: string): string {
  const s = name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return s || 'workspace';
}
