import { isValidObjectId, type Model, type QueryFilter, type UpdateQuery } from 'mongoose';

declare const workspaceIdBrand: unique symbol;

/**
 * A workspace id that came from an authenticated principal or a verified lookup. Repositories only
 * accept this type, so a query without its workspace cannot be written by accident.
 */
export type WorkspaceId = string & { readonly [workspaceIdBrand]: true };

/** Marks an id as a workspace id. Call it only where the workspace's existence or ownership was checked. */
export function trustedWorkspaceId(id: string): WorkspaceId {
  return id as WorkspaceId;
}

interface TenantDocument {
  workspaceId: unknown;
}

/** A filter on a tenant collection; `workspaceId` is always added by the repository, never by callers. */
export type TenantFilter<T> = Omit<QueryFilter<T>, 'workspaceId'> & { workspaceId?: never };

/**
 * Data access for a workspace-owned collection. Every method takes the workspace first and adds
 * it to the filter; an id from another workspace is simply not found (BOLA-safe by construction).
 */
export class TenantRepository<T extends TenantDocument> {
  constructor(private readonly model: Model<T>) {}

  async findById(workspaceId: WorkspaceId, id: string) {
    if (!isValidObjectId(id)) return null;
    return this.model
      .findOne(this.scope(workspaceId, { _id: id } as TenantFilter<T>))
      .lean()
      .exec();
  }

  async find(
    workspaceId: WorkspaceId,
    filter: TenantFilter<T> = {} as TenantFilter<T>,
    options: { limit?: number } = {},
  ) {
    return this.model
      .find(this.scope(workspaceId, filter))
      .sort({ _id: -1 })
      .limit(options.limit ?? 100)
      .lean()
      .exec();
  }

  async findOne(workspaceId: WorkspaceId, filter: TenantFilter<T>) {
    return this.model.findOne(this.scope(workspaceId, filter)).lean().exec();
  }

  async create(workspaceId: WorkspaceId, doc: Omit<T, 'workspaceId' | 'createdAt' | 'updatedAt'>) {
    const created = await new this.model({ ...doc, workspaceId }).save();
    return created.toObject();
  }

  /** Single-document atomic update; returns the updated document, or null when it is not in this workspace. */
  async updateById(workspaceId: WorkspaceId, id: string, update: UpdateQuery<T>) {
    if (!isValidObjectId(id)) return null;
    return this.model
      .findOneAndUpdate(this.scope(workspaceId, { _id: id } as TenantFilter<T>), update, {
        returnDocument: 'after',
      })
      .lean()
      .exec();
  }

  /**
   * Conditional update of one document in the workspace; null when nothing matched. Not a lock:
   * MongoDB applies filter and update atomically, FerretDB v1 does not under concurrency, so when
   * two callers must not both win, claim the change through a unique index first (see
   * `templates/template-claim-model.ts`).
   */
  async updateOneWhere(
    workspaceId: WorkspaceId,
    id: string,
    filter: TenantFilter<T>,
    update: UpdateQuery<T>,
  ) {
    if (!isValidObjectId(id)) return null;
    return this.model
      .findOneAndUpdate(this.scope(workspaceId, { ...filter, _id: id } as TenantFilter<T>), update, {
        returnDocument: 'after',
      })
      .lean()
      .exec();
  }

  async count(workspaceId: WorkspaceId, filter: TenantFilter<T> = {} as TenantFilter<T>) {
    return this.model.countDocuments(this.scope(workspaceId, filter)).exec();
  }

  private scope(workspaceId: WorkspaceId, filter: TenantFilter<T>): QueryFilter<T> {
    return { ...filter, workspaceId } as QueryFilter<T>;
  }
}
