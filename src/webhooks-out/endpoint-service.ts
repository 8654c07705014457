import { isValidObjectId, Types } from 'mongoose';
import type { SecretBox } from '../channels/secret-box';
import { AppError } from '../errors/app-error';
import type { Models } from '../storage/models';
import { TenantRepository, type WorkspaceId } from '../storage/tenant-repository';
import type { BusinessEventType } from './business-events';
import { generateEndpointSecret } from './endpoint-secret';
import { ALL_EVENTS, type WebhookEndpointDoc } from './webhook-models';
import { assertWebhookUrl, type WebhookUrlCheckOptions } from './webhook-url';

/** Endpoints one workspace may have: each event fans out to every one of them. */
export const MAX_ENDPOINTS_PER_WORKSPACE = 20;

export type StoredEndpoint = WebhookEndpointDoc & { _id: Types.ObjectId; createdAt: Date; updatedAt: Date };

export interface CreateEndpointInput {
  url: string;
  /** Subscribed types, or `['*']` for every type. */
  events: ReadonlyArray<BusinessEventType | typeof ALL_EVENTS>;
  description: string;
}

/** What `sealed` secrets of an endpoint are bound to (the AES-GCM associated data). */
export function endpointSecretContext(endpointId: string): string {
  return `${endpointId}:whsec`;
}

/**
 * The webhook endpoints of a workspace. The `whsec_` secret is generated here, returned once by
 * `create` and stored sealed; nothing returns it afterwards (delete and re-create to get a new one).
 */
export class WebhookEndpointService {
  private readonly repo: TenantRepository<WebhookEndpointDoc>;

  constructor(private readonly deps: { models: Models; box: SecretBox; urlCheck: WebhookUrlCheckOptions }) {
    this.repo = new TenantRepository(deps.models.WebhookEndpoint);
  }

  async create(
    workspaceId: WorkspaceId,
    input: CreateEndpointInput,
  ): Promise<{ endpoint: StoredEndpoint; secret: string }> {
    const url = await assertWebhookUrl(input.url, this.deps.urlCheck);
    if ((await this.repo.count(workspaceId)) >= MAX_ENDPOINTS_PER_WORKSPACE) {
      throw new AppError(
        'webhook_endpoint.limit_reached',
        `A workspace has at most ${MAX_ENDPOINTS_PER_WORKSPACE} webhook endpoints; delete one first.`,
      );
    }
    const id = new Types.ObjectId();
    const secret = generateEndpointSecret();
    const created = await this.deps.models.WebhookEndpoint.create({
      _id: id,
      workspaceId,
      url: url.href,
      description: input.description,
      eventTypes: normalizeEvents(input.events),
      secret: this.deps.box.seal(secret, endpointSecretContext(String(id))),
    });
    return { endpoint: created.toObject() as StoredEndpoint, secret };
  }

  async list(workspaceId: WorkspaceId): Promise<StoredEndpoint[]> {
    return (await this.repo.find(
      workspaceId,
      {},
      { limit: MAX_ENDPOINTS_PER_WORKSPACE * 2 },
    )) as StoredEndpoint[];
  }

  async get(workspaceId: WorkspaceId, id: string): Promise<StoredEndpoint> {
    const doc = await this.repo.findById(workspaceId, id);
    if (!doc) throw endpointNotFound(id);
    return doc as StoredEndpoint;
  }

  /** Deletes the endpoint; its pending deliveries fail when their turn comes. */
  async remove(workspaceId: WorkspaceId, id: string): Promise<void> {
    const deleted = isValidObjectId(id)
      ? await this.deps.models.WebhookEndpoint.deleteOne({ _id: id, workspaceId }).exec()
      : { deletedCount: 0 };
    if (deleted.deletedCount === 0) throw endpointNotFound(id);
  }
}

function endpointNotFound(id: string): AppError {
  return new AppError('resource.not_found', `No webhook endpoint ${id} in this workspace.`);
}

/** `*` anywhere means all; otherwise each type once, in a stable order. */
function normalizeEvents(events: CreateEndpointInput['events']): string[] {
  if (events.length === 0 || events.includes(ALL_EVENTS)) return [ALL_EVENTS];
  return [...new Set(events)].sort();
}
