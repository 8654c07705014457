import { type OutboundContent, validateContent } from '../../adapters/contract';
import { AppError } from '../../src/errors/app-error';
import { renderStepContent } from '../../src/notifications/step-content';
import type { WorkspaceId } from '../../src/storage/tenant-repository';
import { templateSendableOn } from '../../src/templates/template-sendability';
import { type StoredTemplate, TemplateService } from '../../src/templates/template-service';
import type { InboxCore } from '../inbox-core';
import type { ReplyChannel } from './reply-channel';
import { replyWindow } from './reply-window';

/** What an operator asks to send: free text, or an approved template with its parameters. */
export type ReplyRequest = { text: string } | { templateId: string; params: Record<string, string> };

/** The template a reply was rendered from, stored on the message so the sender renders it again. */
export interface ReplyTemplateRef {
  id: string;
  name: string;
  params: Record<string, string>;
}

export interface ReplyContent {
  content: OutboundContent;
  /** The text the customer sees (the rendered template for template replies). */
  text: string;
  template: ReplyTemplateRef | null;
}

function refused(detail: string, path: string): AppError {
  return new AppError('inbox.reply_content_invalid', detail, { errors: [{ path, message: detail }] });
}

/**
 * Free text checked against the channel before anything is stored: the reply window (WhatsApp)
 * and the channel's limits (length in characters, size in UTF-8 bytes…), naming the limit.
 */
export function freeTextContent(
  channel: ReplyChannel,
  lastInboundAt: Date | null,
  text: string,
): ReplyContent {
  const window = replyWindow(channel.adapter.capabilities, lastInboundAt);
  if (!window.freeTextAllowed)
    throw new AppError('inbox.reply_window_closed', window.reason ?? 'Free text is not allowed now.');
  const content: OutboundContent = { type: 'text', text };
  const refusal = validateContent(channel.adapter.capabilities, content);
  if (refusal) throw refused(`${refusal.message} on ${channel.record.type}`, 'body.text');
  return { content, text, template: null };
}

/**
 * An approved template rendered for the channel, as notifications render it: by the platform's
 * template name where the platform moderates templates (WhatsApp), else as text. Allowed whether
 * or not the reply window is open.
 */
export async function templateContent(
  core: Pick<InboxCore, 'models'>,
  workspaceId: WorkspaceId,
  channel: ReplyChannel,
  request: { templateId: string; params: Record<string, string> },
): Promise<ReplyContent> {
  const template = await new TemplateService(core.models).findSendable(workspaceId, {
    id: request.templateId,
  });
  const sendable = template ? sendability(template, channel) : null;
  if (!template || !sendable?.ok) {
    const why = sendable && !sendable.ok ? ` (${sendable.reason})` : '';
    throw new AppError(
      'inbox.reply_template_unavailable',
      `Template ${request.templateId} cannot be sent on this ${channel.record.type} channel${why}.`,
    );
  }
  const rendered = renderTemplate(template, sendable.platformName, request.params, channel);
  return { ...rendered, template: { id: String(template._id), name: template.name, params: request.params } };
}

/** Whether (and under which platform name) a template can be sent on the channel. */
export function sendability(template: StoredTemplate, channel: ReplyChannel) {
  return templateSendableOn(template, {
    id: String(channel.record._id),
    type: channel.adapter.kind,
    platformTemplates: channel.adapter.capabilities.platformTemplates,
  });
}

function renderTemplate(
  template: StoredTemplate,
  platformName: string | undefined,
  params: Record<string, string>,
  channel: ReplyChannel,
): Omit<ReplyContent, 'template'> {
  const rendered = renderStepContent(
    { ...template, name: platformName ?? template.name },
    params,
    channel.adapter.capabilities,
    [],
  );
  if (!rendered.ok)
    throw refused(rendered.detail, rendered.reason === 'params-missing' ? 'body.params' : 'body.templateId');
  return { content: rendered.content, text: rendered.text };
}

/** The content of a stored template reply, rendered again by the sender (null: no longer sendable). */
export async function renderStoredTemplate(
  core: Pick<InboxCore, 'models'>,
  workspaceId: WorkspaceId,
  channel: ReplyChannel,
  ref: ReplyTemplateRef,
): Promise<ReplyContent | null> {
  try {
    return await templateContent(core, workspaceId, channel, { templateId: ref.id, params: ref.params });
  } catch (error) {
    if (error instanceof AppError) return null;
    throw error;
  }
}
