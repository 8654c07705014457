import type { CookieOptions } from 'express';
import { z } from 'zod';
import type { LoginThrottle } from '../../auth/login-throttle';
import { operatorRoles } from '../../auth/scopes';
import { login, logout } from '../../auth/sessions';
import { AppError } from '../../errors/app-error';
import type { Models } from '../../storage/models';
import { credentialOf, SESSION_COOKIE } from '../authenticate';
import { type AnyRoute, defineRoute } from '../route-definition';

const loginBody = z
  .strictObject({
    email: z.email().max(254),
    password: z.string().min(1).max(1024),
    workspaceId: z
      .string()
      .regex(/^[a-f0-9]{24}$/, 'must be a workspace id')
      .optional(),
  })
  .meta({ id: 'LoginRequest' });

const operatorView = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.enum(operatorRoles),
  workspaceId: z.string(),
});

const sessionView = z.object({ token: z.string(), expiresAt: z.string(), operator: operatorView }).meta({
  id: 'Session',
  description: 'Use `token` as a Bearer token, or rely on the HttpOnly cookie it also sets.',
});

export function authRoutes(deps: {
  models: Models;
  sessionTtlSeconds: number;
  secureCookies: boolean;
  throttle: LoginThrottle;
  onCredentialRevoked(credentialId: string): Promise<void>;
}): AnyRoute[] {
  const cookieOptions: CookieOptions = {
    httpOnly: true,
    sameSite: 'lax',
    secure: deps.secureCookies,
    path: '/',
  };
  return [
    defineRoute({
      method: 'post',
      path: '/auth/login',
      summary: 'Log an operator in',
      tag: 'auth',
      access: 'public',
      body: loginBody,
      response: { status: 201, schema: sessionView, description: 'Session opened' },
      errors: ['auth.login_failed', 'auth.workspace_required', 'auth.too_many_attempts', 'service.not_ready'],
      async handle({ body, req, res }) {
        const ip = req.ip ?? '';
        await deps.throttle.attempt(body.email, ip);
        const session = await login(deps.models, body, deps.sessionTtlSeconds, ip);
        await deps.throttle.succeeded(body.email, ip);
        res.cookie(SESSION_COOKIE, session.token, { ...cookieOptions, expires: session.expiresAt });
        return { ...session, expiresAt: session.expiresAt.toISOString() };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/auth/logout',
      summary: 'End the current operator session',
      tag: 'auth',
      access: [],
      response: { status: 204, description: 'Session ended' },
      async handle({ req, res, principal }) {
        if (principal.kind !== 'operator')
          throw new AppError('auth.credentials_invalid', 'API keys have no session.');
        const ended = await logout(deps.models, credentialOf(req) ?? '');
        if (ended) await deps.onCredentialRevoked(ended);
        res.clearCookie(SESSION_COOKIE, cookieOptions);
        return undefined;
      },
    }),
  ];
}
