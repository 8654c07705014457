import { z } from 'zod';
import { isValidCidr } from '../auth/ip-allowlist';
import { operatorRoles, scopes } from '../auth/scopes';

const objectId = z.string().regex(/^[a-f0-9]{24}$/, 'must be a workspace id (24 hex characters)');

export const workspaceCreateArgs = z.object({
  name: z.string().trim().min(1, 'is required').max(120),
  adminEmail: z.email('must be an e-mail address').optional(),
  json: z.boolean().default(false),
});

export const apiKeyCreateArgs = z.object({
  workspace: objectId,
  name: z.string().trim().min(1).max(120).default('cli'),
  scopes: z
    .string()
    .optional()
    .transform((v) =>
      v
        ? v
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean)
        : undefined,
    )
    .pipe(
      z
        .array(z.enum(scopes, { message: `must be among ${scopes.join(', ')}` }))
        .min(1)
        .optional(),
    ),
  allowIp: z.array(z.string().refine(isValidCidr, 'must be an IP address or CIDR range')).default([]),
  json: z.boolean().default(false),
});

export const apiKeyRevokeArgs = z.object({
  prefix: z.string().regex(/^(vst_)?[a-z0-9]{10}(_.*)?$/, 'must be a key prefix such as vst_abcde12345'),
});

export const operatorAddArgs = z.object({
  workspace: objectId,
  email: z.email('must be an e-mail address'),
  role: z.enum(operatorRoles, { message: `must be one of ${operatorRoles.join(', ')}` }),
  name: z.string().trim().max(120).optional(),
  json: z.boolean().default(false),
});

/** Validates CLI options; a failure is one line naming the option. */
export function parseArgs<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const option = issue?.path.map(String).join('.') ?? 'arguments';
  throw new CliUsageError(`--${kebab(option)} ${issue?.message ?? 'is invalid'}`);
}

export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
