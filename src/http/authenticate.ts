import type { IncomingHttpHeaders } from 'node:http';
import { parse as parseCookie } from 'cookie';
import type { ApiKeyVerifier } from '../auth/api-keys';
import type { Principal } from '../auth/principal';
import type { Scope } from '../auth/scopes';
import { verifySession } from '../auth/sessions';
import { AppError } from '../errors/app-error';
import type { Models } from '../storage/models';

export const SESSION_COOKIE = 'vestnik_session';

/** What credentials are read from: an HTTP request or a socket.io handshake. */
export interface CredentialSource {
  headers: IncomingHttpHeaders;
  ip?: string | undefined;
}

export interface Authenticator {
  /** Resolves the caller from `Authorization: Bearer` (API key or session token) or the session cookie. */
  authenticate(req: CredentialSource): Promise<Principal>;
}

export function createAuthenticator(models: Models, apiKeys: ApiKeyVerifier): Authenticator {
  return {
    async authenticate(req) {
      const token = credentialOf(req);
      if (!token) {
        throw new AppError('auth.credentials_missing', 'Send `Authorization: Bearer <API key>` or log in.', {
          headers: { 'WWW-Authenticate': 'Bearer realm="vestnik"' },
        });
      }
      if (token.startsWith('vst_')) return apiKeys.verify(token, () => req.ip ?? '');
      if (token.startsWith('vss_')) return verifySession(models, token);
      throw new AppError('auth.credentials_invalid', 'The bearer token is neither an API key nor a session.');
    },
  };
}

/** The bearer token, else the session cookie (for the browser UI and socket.io). */
export function credentialOf(req: Pick<CredentialSource, 'headers'>): string | undefined {
  const header = req.headers.authorization;
  if (header) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    return match?.[1] ?? '';
  }
  const cookieHeader = req.headers.cookie;
  return cookieHeader ? parseCookie(cookieHeader)[SESSION_COOKIE] : undefined;
}

/**
 * A credential may only hand out what it holds: creating a key or an operator with scopes the
 * caller lacks is refused (so a business key can never mint a moderator, for instance).
 */
export function requireGrantable(principal: Principal, granted: readonly Scope[], what: string): void {
  const beyond = granted.filter((scope) => !principal.scopes.includes(scope));
  if (beyond.length > 0) {
    throw new AppError(
      'auth.scope_missing',
      `Cannot grant ${what} beyond your own scopes: ${beyond.join(', ')}.`,
    );
  }
}

export function requireScopes(principal: Principal, needed: readonly Scope[]): void {
  const missing = needed.filter((scope) => !principal.scopes.includes(scope));
  if (missing.length === 0) return;
  if (principal.kind === 'operator') {
    throw new AppError(
      'auth.role_forbidden',
      `The ${principal.role} role cannot do this (needs ${missing.join(', ')}).`,
    );
  }
  throw new AppError('auth.scope_missing', `This API key lacks the scope(s): ${missing.join(', ')}.`);
}
