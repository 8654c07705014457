import { Types, trusted } from 'mongoose';
import { AppError } from '../errors/app-error';
import type { Models } from '../storage/models';
import { trustedWorkspaceId, type WorkspaceId } from '../storage/tenant-repository';
import { credentialIds } from './credential-revocations';
import { verifyPassword } from './passwords';
import type { Principal } from './principal';
import { type OperatorRole, roleScopes } from './scopes';
import { randomToken, sha256Hex } from './secrets';

export interface LoginInput {
  email: string;
  password: string;
  workspaceId?: string;
}

export interface CreatedSession {
  token: string;
  expiresAt: Date;
  operator: { id: string; email: string; name: string; role: OperatorRole; workspaceId: string };
}

/** A scrypt hash of a random password, compared against when the e-mail is unknown (same timing). */
const decoyHash = `scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$${'A'.repeat(86)}`;

/** Checks e-mail and password (constant work whether or not the e-mail exists) and opens a session. */
export async function login(
  models: Models,
  input: LoginInput,
  ttlSeconds: number,
  ip: string,
): Promise<CreatedSession> {
  const email = input.email.trim().toLowerCase();
  const filter: Record<string, unknown> = { email, disabledAt: null };
  if (input.workspaceId) {
    if (!Types.ObjectId.isValid(input.workspaceId))
      throw new AppError('auth.login_failed', 'E-mail or password is wrong.');
    filter.workspaceId = input.workspaceId;
  }
  const candidates = await models.Operator.find(filter).limit(2).lean().exec();
  if (candidates.length > 1) {
    throw new AppError(
      'auth.workspace_required',
      'This e-mail belongs to several workspaces: pass workspaceId.',
    );
  }
  const operator = candidates[0];
  const valid = await verifyPassword(input.password, operator?.passwordHash ?? decoyHash);
  if (!operator || !valid) throw new AppError('auth.login_failed', 'E-mail or password is wrong.');
  const token = `vss_${randomToken(32)}`;
  const expiresAt = new Date(Date.now() + ttlSeconds * 1000);
  await models.Session.create({
    workspaceId: operator.workspaceId,
    operatorId: operator._id,
    tokenHash: sha256Hex(token),
    expiresAt,
    ip,
  });
  return {
    token,
    expiresAt,
    operator: {
      id: String(operator._id),
      email: operator.email,
      name: operator.name,
      role: operator.role,
      workspaceId: String(operator.workspaceId),
    },
  };
}

/** Resolves a session token to its operator principal, or throws 401. */
export async function verifySession(models: Models, token: string): Promise<Principal> {
  const tokenHash = sha256Hex(token);
  const session = await models.Session.findOne({ tokenHash }).lean().exec();
  if (!session) throw new AppError('auth.credentials_invalid', 'The session is not valid. Log in again.');
  if (session.expiresAt.getTime() <= Date.now()) {
    throw new AppError('auth.session_expired', 'The session has expired. Log in again.');
  }
  const operator = await models.Operator.findOne({ _id: session.operatorId, disabledAt: null }).lean().exec();
  if (!operator) throw new AppError('auth.credentials_invalid', 'The session is not valid. Log in again.');
  const workspaceId: WorkspaceId = trustedWorkspaceId(String(session.workspaceId));
  return {
    kind: 'operator',
    workspaceId,
    operatorId: String(operator._id),
    role: operator.role,
    credentialId: credentialIds.session(tokenHash),
    expiresAt: session.expiresAt,
    scopes: roleScopes[operator.role],
  };
}

/** Ends the session; returns its credential id (to announce), or null when there was none. */
export async function logout(models: Models, token: string): Promise<string | null> {
  const tokenHash = sha256Hex(token);
  const { deletedCount } = await models.Session.deleteOne({ tokenHash }).exec();
  return deletedCount > 0 ? credentialIds.session(tokenHash) : null;
}

/** Housekeeping: removes sessions past their expiry (instead of a TTL index, which FerretDB lacks). */
export async function purgeExpiredSessions(models: Models, now = new Date()): Promise<number> {
  // sanitizeFilter is on: operators we write ourselves are marked trusted.
  const result = await models.Session.deleteMany({ expiresAt: trusted({ $lte: now }) }).exec();
  return result.deletedCount;
}
