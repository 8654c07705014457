import { trusted } from 'mongoose';
import type { Principal } from '../auth/principal';
import { AppError } from '../errors/app-error';
import { validationFailed } from '../http/validation';
import type { Logger } from '../logging/logger';
import { isDuplicateKey } from '../storage/duplicate-key';
import type { Models } from '../storage/models';
import { TenantRepository, trustedWorkspaceId, type WorkspaceId } from '../storage/tenant-repository';
import type { BusinessEvents } from '../webhooks-out/business-events';
import { extractPlaceholders } from './placeholders';
import { channelButtonErrors, imageIdErrors } from './template-channel-rules';
import { changeTemplate } from './template-claim-model';
import { publishModerated } from './template-events';
import type { StoredTemplate, TemplateDoc, TemplateStatus } from './template-model';
import type { CreateTemplate, TemplateButton } from './template-schema';

export type { StoredTemplate };

/** Fields an edit may change; `advertisingTail: null` removes the tail. The name never changes. */
export interface TemplateChanges {
  body?: string;
  advertisingTail?: string | null;
  category?: CreateTemplate['category'];
  channels?: CreateTemplate['channels'];
  buttons?: TemplateButton[];
  images?: string[];
}

export type TemplateAction = 'submit' | 'approve' | 'reject';

/** Optional collaborators; each one left out switches its part off (tests, tools). */
export interface TemplateServiceOptions {
  /** Where `template.moderated` goes on each decision of our moderators. */
  events?: BusinessEvents;
  logger?: Logger;
  /** Submits an approved version to the platforms that moderate templates themselves. */
  platform?: { syncSoon(workspaceId: WorkspaceId, templateId: string): void };
  /** Checks that referenced images were uploaded to the workspace. */
  images?: { missing(workspaceId: WorkspaceId, ids: readonly string[]): Promise<string[]> };
}

/** Which statuses each action starts from and where it leads. */
const transitions: Record<TemplateAction, { from: readonly TemplateStatus[]; to: TemplateStatus }> = {
  submit: { from: ['draft', 'rejected'], to: 'pending' },
  approve: { from: ['pending'], to: 'approved' },
  reject: { from: ['pending'], to: 'rejected' },
};

function placeholdersOf(body: string, advertisingTail: string | null | undefined): string[] {
  return [...new Set([...extractPlaceholders(body), ...extractPlaceholders(advertisingTail ?? '')])];
}

interface StoredContent {
  body?: string;
  advertisingTail?: string | null;
  category?: CreateTemplate['category'];
  channels?: CreateTemplate['channels'];
  buttons?: unknown[];
  imageIds?: string[];
}

function contentOf(base: StoredContent, changes: TemplateChanges) {
  const body = changes.body ?? base.body ?? '';
  const advertisingTail =
    changes.advertisingTail !== undefined ? changes.advertisingTail : base.advertisingTail;
  return {
    body,
    advertisingTail: advertisingTail ?? null,
    category: changes.category ?? base.category,
    channels: changes.channels ?? base.channels ?? [],
    buttons: changes.buttons ?? base.buttons ?? [],
    imageIds: changes.images ?? base.imageIds ?? [],
    placeholders: placeholdersOf(body, advertisingTail),
  };
}

function nameTaken(error: unknown, name: string): AppError | null {
  if (isDuplicateKey(error)) {
    return new AppError(
      'resource.conflict',
      `Template "${name}" already exists (or its next version was just made); read it and edit that.`,
    );
  }
  return null;
}

/**
 * Template versions of a workspace and their moderation. Every change of a version first claims
 * the version's next `seq` in the uniquely indexed claims collection, then updates the version
 * only if its `seq` is still the one claimed: of two racing moderators exactly one wins, on
 * MongoDB and on FerretDB alike.
 */
export class TemplateService {
  private readonly repo: TenantRepository<TemplateDoc>;

  constructor(
    private readonly models: Models,
    private readonly options: TemplateServiceOptions = {},
  ) {
    this.repo = new TenantRepository(models.Template);
  }

  /** Refuses content that names unknown images or buttons an allowed channel cannot carry. */
  private async checkContent(workspaceId: WorkspaceId, content: ReturnType<typeof contentOf>): Promise<void> {
    const missing = this.options.images
      ? await this.options.images.missing(workspaceId, content.imageIds)
      : [];
    const errors = [
      ...imageIdErrors(content.imageIds, missing),
      ...channelButtonErrors(content.buttons as TemplateButton[], content.channels),
    ];
    if (errors.length > 0) throw validationFailed(errors);
  }

  async create(workspaceId: WorkspaceId, input: CreateTemplate, submit: boolean): Promise<StoredTemplate> {
    const existing = await this.repo.findOne(workspaceId, { name: input.name });
    if (existing)
      throw new AppError('resource.conflict', `Template "${input.name}" already exists; edit it.`);
    const content = contentOf({ category: input.category }, input);
    await this.checkContent(workspaceId, content);
    return this.insert(workspaceId, input.name, 1, submit, content);
  }

  /**
   * The approved version the sender may use, or null. By `id`: that exact version, only if it is
   * approved (a draft, pending or rejected id is null, even when another version is approved). By
   * `name`: the highest approved version of that name (a newer pending draft does not hide it).
   * Promised: the result is `approved` by our moderation and in this workspace.
   * Not promised: sendability on a given channel (check `templateSendableOn`), nor that it is the
   * newest version of the template.
   */
  async findSendable(
    workspaceId: WorkspaceId,
    which: { id: string } | { name: string },
  ): Promise<StoredTemplate | null> {
    if ('id' in which) {
      const doc = (await this.repo.findById(workspaceId, which.id)) as StoredTemplate | null;
      return doc?.status === 'approved' ? doc : null;
    }
    const approved = (await this.repo.find(
      workspaceId,
      { name: which.name, status: 'approved' },
      { limit: 1000 },
    )) as StoredTemplate[];
    return approved.reduce<StoredTemplate | null>(
      (best, doc) => (best && best.version >= doc.version ? best : doc),
      null,
    );
  }

  /** Newest first; with `latestOnly`, one version per name (the newest one of the wanted status). */
  async list(workspaceId: WorkspaceId, options: { status?: TemplateStatus; latestOnly: boolean }) {
    const filter = options.status ? { status: options.status } : {};
    const docs = (await this.repo.find(workspaceId, filter, { limit: 1000 })) as StoredTemplate[];
    if (!options.latestOnly) return docs;
    const seen = new Set<string>();
    return docs.filter((doc) => !seen.has(doc.name) && seen.add(doc.name));
  }

  async get(workspaceId: WorkspaceId, id: string): Promise<StoredTemplate> {
    const doc = await this.repo.findById(workspaceId, id);
    if (!doc) throw new AppError('resource.not_found', `No template ${id} in this workspace.`);
    return doc as StoredTemplate;
  }

  /**
   * Edits a draft, pending or rejected version in place (it becomes draft, or pending with
   * `submit`). An approved version is never changed: the edit becomes the next version instead,
   * which is only allowed from the newest version of the template.
   */
  async edit(workspaceId: WorkspaceId, id: string, changes: TemplateChanges, submit: boolean) {
    const current = await this.get(workspaceId, id);
    const content = contentOf(current, changes);
    await this.checkContent(workspaceId, content);
    if (current.status === 'approved') return this.nextVersion(workspaceId, current, content, submit);
    const status: TemplateStatus = submit ? 'pending' : 'draft';
    const set = { ...content, status };
    const updated = await changeTemplate(this.models, current, { action: 'edit', credentialId: null, set });
    if (updated) return { template: updated, created: false };
    throw new AppError('resource.conflict', 'The template changed meanwhile; read it again and retry.');
  }

  async transition(principal: Principal, id: string, action: TemplateAction, reason?: string) {
    const { from, to } = transitions[action];
    const moderation =
      action === 'submit'
        ? {}
        : {
            moderatedBy: principal.credentialId,
            moderatedAt: new Date(),
            rejectionReason: action === 'reject' ? (reason ?? '') : null,
          };
    const current = await this.get(principal.workspaceId, id);
    const change = { action, credentialId: principal.credentialId, set: { status: to, ...moderation } };
    const updated = from.includes(current.status) ? await changeTemplate(this.models, current, change) : null;
    if (updated) return this.decided(updated, current.seq, action);
    throw new AppError(
      'template.invalid_transition',
      `Template version ${current.version} is ${current.status}; ${action} needs ${from.join(' or ')}.`,
    );
  }

  /** After our decision: the `template.moderated` event, and platform submission of an approval. */
  private async decided(template: StoredTemplate, seq: number, action: TemplateAction) {
    if (action === 'submit') return template;
    const status = action === 'approve' ? 'approved' : 'rejected';
    const reason = template.rejectionReason ?? null;
    await publishModerated(this.options.events, this.options.logger, { template, seq, status, reason });
    if (action === 'approve')
      this.options.platform?.syncSoon(trustedWorkspaceId(String(template.workspaceId)), String(template._id));
    return template;
  }

  private async nextVersion(
    workspaceId: WorkspaceId,
    current: StoredTemplate,
    content: ReturnType<typeof contentOf>,
    submit: boolean,
  ) {
    const newer = await this.repo.findOne(workspaceId, {
      name: current.name,
      version: trusted({ $gt: current.version }),
    });
    if (newer) {
      throw new AppError(
        'resource.conflict',
        `Version ${newer.version} of "${current.name}" exists (id ${String(newer._id)}); edit that one.`,
      );
    }
    const template = await this.insert(workspaceId, current.name, current.version + 1, submit, content);
    return { template, created: true };
  }

  private async insert(
    workspaceId: WorkspaceId,
    name: string,
    version: number,
    submit: boolean,
    content: ReturnType<typeof contentOf>,
  ): Promise<StoredTemplate> {
    try {
      const doc = await this.repo.create(workspaceId, {
        name,
        version,
        status: submit ? 'pending' : 'draft',
        ...content,
        category: content.category ?? 'transactional',
        rejectionReason: null,
        moderatedBy: null,
        moderatedAt: null,
        platformApprovals: [],
        seq: 0,
      });
      return doc as StoredTemplate;
    } catch (error) {
      throw nameTaken(error, name) ?? error;
    }
  }
}
