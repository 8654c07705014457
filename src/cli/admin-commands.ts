import { createApiKey, revokeApiKeyByPrefix } from '../auth/api-keys';
import { credentialIds, publishRevocation } from '../auth/credential-revocations';
import { addOperator } from '../auth/operators';
import { generatePassword } from '../auth/passwords';
import { defaultApiKeyScopes } from '../auth/scopes';
import type { Config } from '../config/env-schema';
import type { Logger } from '../logging/logger';
import { type Infrastructure, openInfrastructure } from '../runtime/infrastructure';
import { trustedWorkspaceId } from '../storage/tenant-repository';
import { createWorkspace } from '../workspaces/create-workspace';
import {
  apiKeyCreateArgs,
  apiKeyRevokeArgs,
  CliUsageError,
  operatorAddArgs,
  parseArgs,
  workspaceCreateArgs,
} from './cli-schemas';

export interface CliContext {
  config: Config;
  logger: Logger;
  /** Result output (stdout). */
  out: (text: string) => void;
  /** Progress and notes (stderr). */
  note: (text: string) => void;
}

/** Runs `work` against the database (the running instance's embedded one in local mode), then disconnects. */
async function withInfrastructure<T>(
  ctx: CliContext,
  work: (infra: Infrastructure) => Promise<T>,
): Promise<T> {
  const infra = await openInfrastructure({
    config: ctx.config,
    logger: ctx.logger,
    ownerKind: 'cli',
    onProgress: ctx.note,
  });
  try {
    return await work(infra);
  } finally {
    await infra.close();
  }
}

async function requireWorkspace(infra: Infrastructure, id: string) {
  const workspace = await infra.models.Workspace.findById(id).lean().exec();
  if (!workspace) throw new CliUsageError(`--workspace ${id}: no such workspace`);
  return trustedWorkspaceId(String(workspace._id));
}

export async function workspaceCreate(ctx: CliContext, raw: unknown): Promise<void> {
  const args = parseArgs(workspaceCreateArgs, raw);
  const created = await withInfrastructure(ctx, (infra) =>
    createWorkspace(infra.models, { name: args.name, adminEmail: args.adminEmail }),
  );
  if (args.json) return ctx.out(JSON.stringify(created));
  ctx.out(
    [
      `Workspace ${created.workspaceId} created.`,
      `API key (shown once):  ${created.apiKey}`,
      `Admin login (shown once): ${created.admin.email} / ${created.admin.password}`,
    ].join('\n'),
  );
}

export async function apiKeyCreate(ctx: CliContext, raw: unknown): Promise<void> {
  const args = parseArgs(apiKeyCreateArgs, raw);
  const created = await withInfrastructure(ctx, async (infra) => {
    const workspaceId = await requireWorkspace(infra, args.workspace);
    return createApiKey(infra.models, workspaceId, {
      name: args.name,
      scopes: args.scopes ?? defaultApiKeyScopes,
      allowIps: args.allowIp,
    });
  });
  if (args.json) return ctx.out(JSON.stringify(created));
  ctx.out(`API key ${created.prefix} (${created.scopes.join(', ')}), shown once:\n${created.key}`);
}

export async function apiKeyRevoke(ctx: CliContext, raw: unknown): Promise<void> {
  const args = parseArgs(apiKeyRevokeArgs, raw);
  const revoked = await withInfrastructure(ctx, async (infra) => {
    const result = await revokeApiKeyByPrefix(infra.models, args.prefix);
    if (result)
      await publishRevocation(infra.redis, ctx.config.QUEUE_PREFIX, credentialIds.apiKey(result.prefix));
    return result;
  });
  if (!revoked) throw new CliUsageError(`${args.prefix}: no active API key with this prefix`);
  ctx.out(`Revoked API key vst_${revoked.prefix}_… of workspace ${revoked.workspaceId}.`);
}

export async function operatorAdd(ctx: CliContext, raw: unknown): Promise<void> {
  const args = parseArgs(operatorAddArgs, raw);
  const password = generatePassword();
  const created = await withInfrastructure(ctx, async (infra) => {
    const workspaceId = await requireWorkspace(infra, args.workspace);
    return addOperator(infra.models, workspaceId, {
      email: args.email,
      role: args.role,
      name: args.name,
      password,
    });
  });
  if (args.json) return ctx.out(JSON.stringify({ ...created, password }));
  ctx.out(`Operator ${created.email} (${created.role}) added. Password (shown once): ${password}`);
}
