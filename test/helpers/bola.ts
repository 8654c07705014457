import type { Express } from 'express';
import request from 'supertest';

export interface BolaCase {
  method: 'get' | 'post' | 'patch' | 'put' | 'delete';
  /** A path naming a resource of the victim workspace, e.g. `/v1/api-keys/<victim key id>`. */
  path: string;
  body?: object;
}

export interface BolaMatrix {
  /** Credentials of workspace A (the attacker). */
  attacker: string;
  /** Credentials of workspace B (the owner), used as a control: the path must work for them. */
  owner: string;
  cases: readonly BolaCase[];
}

/**
 * Broken-object-level-authorization matrix: for every case, workspace A's credentials on
 * workspace B's ids must get 404 `resource.not_found` (never 200, never 403, which would confirm
 * the id exists), and workspace B's own credentials must not get 404 (so the case is meaningful).
 * The attacker goes first, so destructive cases prove that nothing happened to B's resource.
 */
export async function expectBolaMatrix(app: Express, matrix: BolaMatrix): Promise<void> {
  const failures: string[] = [];
  for (const c of matrix.cases) {
    const attack = await send(app, c, matrix.attacker);
    if (attack.status !== 404 || attack.body?.code !== 'resource.not_found') {
      failures.push(
        `${c.method.toUpperCase()} ${c.path} as attacker: ${attack.status} ${JSON.stringify(attack.body)}`,
      );
    }
    const control = await send(app, c, matrix.owner);
    if (control.status === 404 || control.status >= 500) {
      failures.push(`${c.method.toUpperCase()} ${c.path} as owner: ${control.status} (control must succeed)`);
    }
  }
  if (failures.length > 0) throw new Error(`BOLA matrix failed:\n${failures.join('\n')}`);
}

function send(app: Express, c: BolaCase, bearer: string) {
  const req = request(app)[c.method](c.path).set('Authorization', `Bearer ${bearer}`);
  return c.body ? req.send(c.body) : req;
}
