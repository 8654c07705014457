import { isValidObjectId, type Types } from 'mongoose';
import { isChannelKind } from '../../adapters/contract';
import { AppError } from '../errors/app-error';
import type { Models } from '../storage/models';
import type { WorkspaceId } from '../storage/tenant-repository';
import { renderTemplate } from '../templates/placeholders';
import type { StoredTemplate, TemplateService } from '../templates/template-service';
import { checkEndpointUrl } from '../webhooks-out/ssrf-guard';
import { getWorkspaceSettings } from '../workspaces/workspace-settings';
import type { SendNotification } from './notification-schema';
import { ShortLivedCache } from './short-lived-cache';

interface ChannelSummary {
  _id: Types.ObjectId;
  type: string;
  createdAt: Date;
}

/**
 * What accepting notifications looks up once per request (a batch of 1000 reads the workspace's
 * channels, settings and each template once).
 */
export class AcceptScope {
  private channels: Promise<ChannelSummary[]> | null = null;
  private channelsFresh = false;
  private defaultRoute: Promise<SendNotification['route']> | null = null;
  private readonly templates = new Map<string, Promise<StoredTemplate | null>>();

  constructor(
    private readonly deps: { models: Models; templates: TemplateService; allowPrivateCallbacks: boolean },
    readonly workspaceId: WorkspaceId,
    /** Channels and templates shared across requests for a moment; none: read per request. */
    private readonly lookups: ShortLivedCache = new ShortLivedCache(0),
  ) {}

  /** The notification document to store, or an AppError (422) saying what is wrong with the request. */
  async build(input: SendNotification): Promise<Record<string, unknown>> {
    const template = await this.template(input.template);
    const rendered = renderTemplate(
      { body: template.body, advertisingTail: template.advertisingTail ?? undefined },
      input.template.params,
    );
    if (!rendered.ok && rendered.missing.length > 0) {
      throw new AppError(
        'notification.params_missing',
        `missing parameters: ${rendered.missing.join(', ')}`,
        {
          errors: rendered.missing.map((name) => ({
            path: `body.template.params.${name}`,
            message: 'required',
          })),
        },
      );
    }
    if (input.callbackUrl) this.checkCallback(input.callbackUrl);
    const route = await this.route(input.route);
    const to = await this.recipient(input.to);
    return {
      workspaceId: this.workspaceId,
      to,
      template: { id: template._id, name: template.name, version: template.version },
      params: input.template.params,
      route,
      verifyRecipient: input.verifyRecipient,
      metadata: input.metadata,
      callbackUrl: input.callbackUrl ?? null,
      status: 'accepted',
      step: 0,
      channels: [],
      billable: false,
      finalReason: null,
      statusTimes: { accepted: new Date() },
    };
  }

  private template(ref: SendNotification['template']): Promise<StoredTemplate> {
    const key = ref.id ? `id:${ref.id}` : `name:${ref.name}`;
    let found = this.templates.get(key);
    if (!found) {
      found = this.lookups.get(`${this.workspaceId}:template:${key}`, () =>
        this.deps.templates.findSendable(
          this.workspaceId,
          ref.id ? { id: ref.id } : { name: String(ref.name) },
        ),
      );
      this.templates.set(key, found);
    }
    return found.then((template) => {
      if (template) return template;
      throw new AppError(
        'notification.template_unavailable',
        `template ${ref.id ?? ref.name} does not exist in this workspace or has no approved version`,
        {
          errors: [
            { path: ref.id ? 'body.template.id' : 'body.template.name', message: 'no approved template' },
          ],
        },
      );
    });
  }

  private checkCallback(url: string): void {
    const check = checkEndpointUrl(url, { allowPrivate: this.deps.allowPrivateCallbacks });
    if (!check.ok) {
      throw new AppError('webhook_endpoint.url_refused', check.detail, {
        errors: [{ path: 'body.callbackUrl', message: check.detail }],
      });
    }
  }

  private async route(given: SendNotification['route']) {
    this.defaultRoute ??= this.lookups
      .get(`${this.workspaceId}:settings`, () => getWorkspaceSettings(this.deps.models, this.workspaceId))
      .then((settings) => settings.defaultRoute);
    const steps = given ?? (await this.defaultRoute);
    if (!steps || steps.length === 0) {
      throw new AppError(
        'notification.route_invalid',
        'name a route, or set a default route in the workspace settings',
        {
          errors: [{ path: 'body.route', message: 'required: the workspace has no default route' }],
        },
      );
    }
    const resolved = [];
    for (const [index, step] of steps.entries()) {
      const channel = await this.channel(step.channel);
      if (!channel) {
        throw new AppError(
          'notification.route_invalid',
          `route step ${index + 1}: no channel "${step.channel}" in this workspace`,
          {
            errors: [
              {
                path: `body.route.${index}.channel`,
                message: 'no such channel id or type in this workspace',
              },
            ],
          },
        );
      }
      resolved.push({
        channel: step.channel,
        channelId: channel._id,
        channelType: channel.type,
        ttlSeconds: step.ttlSeconds,
      });
    }
    return resolved;
  }

  /** A channel of the workspace by id, or the oldest one of a type. */
  private async channel(idOrType: string): Promise<ChannelSummary | undefined> {
    const key = `${this.workspaceId}:channels`;
    this.channels ??= this.lookups.get(key, () => this.readChannels());
    const found = findChannel(await this.channels, idOrType);
    if (found || this.channelsFresh) return found;
    // Not in the kept list: it may have been created a moment ago. Read again before refusing.
    this.channelsFresh = true;
    this.channels = this.lookups.refresh(key, () => this.readChannels());
    return findChannel(await this.channels, idOrType);
  }

  private readChannels(): Promise<ChannelSummary[]> {
    return this.deps.models.Channel.find({ workspaceId: this.workspaceId })
      .select({ _id: 1, type: 1, createdAt: 1 })
      .sort({ createdAt: 1 })
      .lean()
      .exec() as Promise<ChannelSummary[]>;
  }

  private async recipient(to: SendNotification['to']) {
    if ('phone' in to && !('channel' in to)) {
      return { phone: to.phone, contactId: null, channelId: null, externalUserId: null };
    }
    if ('contactId' in to) {
      const contact = await this.deps.models.Contact.findOne({
        _id: to.contactId,
        workspaceId: this.workspaceId,
      })
        .select({ _id: 1 })
        .lean()
        .exec();
      if (!contact) {
        throw new AppError('notification.recipient_invalid', 'no such contact in this workspace', {
          errors: [{ path: 'body.to.contactId', message: 'not found' }],
        });
      }
      return { phone: null, contactId: contact._id, channelId: null, externalUserId: null };
    }
    const channel = await this.channel(to.channel);
    if (!channel) {
      throw new AppError('notification.recipient_invalid', `no channel "${to.channel}" in this workspace`, {
        errors: [{ path: 'body.to.channel', message: 'no such channel id or type in this workspace' }],
      });
    }
    return {
      phone: to.phone ?? null,
      contactId: null,
      channelId: channel._id,
      externalUserId: to.externalUserId,
    };
  }
}

/** A channel of the list by id, or the oldest one of a type (the list is sorted by creation). */
function findChannel(channels: ChannelSummary[], idOrType: string): ChannelSummary | undefined {
  if (isValidObjectId(idOrType)) return channels.find((channel) => String(channel._id) === idOrType);
  if (!isChannelKind(idOrType)) return undefined;
  return channels.find((channel) => channel.type === idOrType);
}
