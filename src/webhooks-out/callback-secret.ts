import type { SecretBox } from '../channels/secret-box';
import { isDuplicateKey } from '../storage/duplicate-key';
import type { Models } from '../storage/models';
import type { WorkspaceId } from '../storage/tenant-repository';
import { generateEndpointSecret } from './endpoint-secret';

function callbackSecretContext(workspaceId: string): string {
  return `${workspaceId}:callback-whsec`;
}

/**
 * The per-workspace `whsec_` secret that signs deliveries to notifications' own `callbackUrl`s
 * (endpoints have their own). Created on first use, stored sealed, readable by an admin any time
 * and rotated on request.
 *
 * Not promised: a grace period after a rotation; deliveries signed from then on use the new secret,
 * including retries of older events.
 */
export class CallbackSecrets {
  constructor(private readonly deps: { models: Models; box: SecretBox }) {}

  /** The current secret, created (once, even when called concurrently) if the workspace has none. */
  async reveal(workspaceId: WorkspaceId): Promise<string> {
    const existing = await this.read(workspaceId);
    if (existing) return existing;
    try {
      const secret = generateEndpointSecret();
      await this.deps.models.WebhookSigningSecret.create({
        workspaceId,
        secret: this.seal(workspaceId, secret),
      });
      return secret;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      const winner = await this.read(workspaceId);
      if (!winner) throw error;
      return winner;
    }
  }

  /** Replaces the secret with a new one and returns it. */
  async rotate(workspaceId: WorkspaceId): Promise<string> {
    await this.reveal(workspaceId);
    const secret = generateEndpointSecret();
    await this.deps.models.WebhookSigningSecret.updateOne(
      { workspaceId },
      { $set: { secret: this.seal(workspaceId, secret) } },
    ).exec();
    return secret;
  }

  private async read(workspaceId: WorkspaceId): Promise<string | null> {
    const doc = await this.deps.models.WebhookSigningSecret.findOne({ workspaceId }).lean().exec();
    return doc ? this.deps.box.open(doc.secret, callbackSecretContext(workspaceId)) : null;
  }

  private seal(workspaceId: WorkspaceId, secret: string): string {
    return this.deps.box.seal(secret, callbackSecretContext(workspaceId));
  }
}
