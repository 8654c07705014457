import { apiKeyPrefix, createApiKey } from '../auth/api-keys';
import { generatePassword, hashPassword, verifyPassword } from '../auth/passwords';
import { defaultApiKeyScopes } from '../auth/scopes';
import { sha256Hex } from '../auth/secrets';
import type { Models } from '../storage/models';
import { TenantRepository, trustedWorkspaceId } from '../storage/tenant-repository';
import { createWorkspace } from '../workspaces/create-workspace';

export const DEMO_OPERATOR_EMAIL = 'operator@demo.vestnik.local';

export interface DemoCredentials {
  workspaceId: string;
  apiKey: string;
  operator: { email: string; password: string };
}

/**
 * Local mode only: makes sure a demo workspace exists and returns working credentials for it.
 * Credentials remembered from an earlier start are reused while they still work; otherwise a new
 * demo key is issued and the demo operator's password is reset (the old ones were never stored).
 */
export async function ensureDemoWorkspace(
  models: Models,
  remembered: DemoCredentials | null,
): Promise<DemoCredentials> {
  const existing = await models.Workspace.findOne({ demo: true }).lean().exec();
  if (!existing) {
    const created = await createWorkspace(models, {
      name: 'Demo shop',
      adminEmail: DEMO_OPERATOR_EMAIL,
      demo: true,
    });
    return { workspaceId: created.workspaceId, apiKey: created.apiKey, operator: created.admin };
  }
  const workspaceId = trustedWorkspaceId(String(existing._id));
  if (remembered?.workspaceId === workspaceId && (await stillValid(models, remembered))) return remembered;
  const key = await createApiKey(models, workspaceId, {
    name: 'demo (re-issued)',
    scopes: defaultApiKeyScopes,
  });
  const password = generatePassword();
  const operators = new TenantRepository(models.Operator);
  const admin = await operators.findOne(workspaceId, { email: DEMO_OPERATOR_EMAIL });
  if (admin) {
    await operators.updateById(workspaceId, String(admin._id), {
      $set: { passwordHash: await hashPassword(password) },
    });
  }
  return { workspaceId, apiKey: key.key, operator: { email: DEMO_OPERATOR_EMAIL, password } };
}

async function stillValid(models: Models, remembered: DemoCredentials): Promise<boolean> {
  const workspaceId = trustedWorkspaceId(remembered.workspaceId);
  const prefix = apiKeyPrefix(remembered.apiKey) ?? '';
  const key = await new TenantRepository(models.ApiKey).findOne(workspaceId, {
    prefix,
    hash: sha256Hex(remembered.apiKey),
    revokedAt: null,
  });
  const operator = await new TenantRepository(models.Operator).findOne(workspaceId, {
    email: remembered.operator.email,
  });
  return (
    key !== null &&
    operator !== null &&
    (await verifyPassword(remembered.operator.password, operator.passwordHash))
  );
}
