import { z } from 'zod';

/** What a credential may do. API keys carry an explicit list; operators get the list of their role. */
export const scopes = [
  'workspace:read',
  'workspace:admin',
  'notifications:send',
  'notifications:read',
  'templates:read',
  'templates:write',
  'templates:moderate',
  'inbox:read',
  'inbox:write',
  'mailings:read',
  'mailings:write',
  'channels:read',
  'channels:admin',
  'bot-flows:read',
  'bot-flows:write',
] as const;

export type Scope = (typeof scopes)[number];
export const scopeSchema = z.enum(scopes);

/**
 * Scopes of a business API key made by `workspace create` or the API: everything except
 * moderating templates, which a business key alone may never do (only the CLI can grant it).
 */
export const defaultApiKeyScopes: readonly Scope[] = scopes.filter((s) => s !== 'templates:moderate');

export const operatorRoles = ['admin', 'moderator', 'operator'] as const;
export type OperatorRole = (typeof operatorRoles)[number];

export const roleScopes: Record<OperatorRole, readonly Scope[]> = {
  admin: scopes,
  moderator: [
    'workspace:read',
    'channels:read',
    'templates:read',
    'templates:moderate',
    'inbox:read',
    'inbox:write',
    'mailings:read',
    'bot-flows:read',
  ],
  operator: [
    'workspace:read',
    'channels:read',
    'templates:read',
    'inbox:read',
    'inbox:write',
    'notifications:read',
    'mailings:read',
    'bot-flows:read',
  ],
};
