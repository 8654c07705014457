import { z } from 'zod';
import type { WorkspaceId } from '../../src/storage/tenant-repository';
import { TemplateService } from '../../src/templates/template-service';
import { findConversation } from '../conversations/conversation-access';
import type { InboxCore } from '../inbox-core';
import { requireReplyChannel } from './reply-channel';
import { sendability } from './reply-content';
import { replyWindow } from './reply-window';

export const composerView = z
  .object({
    channelType: z.string(),
    maxTextLength: z.number().int(),
    /** UTF-8 byte limit where the platform has one, else null. */
    maxTextBytes: z.number().int().nullable(),
    /** How many buttons a message may carry (0: none). */
    buttons: z.number().int(),
    freeTextAllowed: z.boolean(),
    windowClosesAt: z.string().nullable(),
    /** Why free text is not allowed now (null when it is). */
    reason: z.string().nullable(),
    /** Approved templates that can be sent on this conversation's channel. */
    templates: z.array(
      z.object({ id: z.string(), name: z.string(), text: z.string(), placeholders: z.array(z.string()) }),
    ),
  })
  .meta({ id: 'Composer' });
export type ComposerView = z.output<typeof composerView>;

/** What the composer of a conversation may send now: the channel's limits, its reply window, the templates. */
export async function composerInfo(
  core: InboxCore,
  workspaceId: WorkspaceId,
  conversationId: string,
): Promise<ComposerView> {
  const conversation = await findConversation(core, workspaceId, conversationId);
  const channel = await requireReplyChannel(core, conversation);
  const { capabilities } = channel.adapter;
  const window = replyWindow(capabilities, conversation.lastInboundAt);
  const approved = await new TemplateService(core.models).list(workspaceId, {
    status: 'approved',
    latestOnly: true,
  });
  return {
    channelType: channel.record.type,
    maxTextLength: capabilities.text.maxLength,
    maxTextBytes: capabilities.text.maxBytes ?? null,
    buttons: capabilities.buttons?.max ?? 0,
    freeTextAllowed: window.freeTextAllowed,
    windowClosesAt: window.closesAt?.toISOString() ?? null,
    reason: window.reason,
    templates: approved
      .filter((template) => sendability(template, channel).ok)
      .map((template) => ({
        id: String(template._id),
        name: template.name,
        text: template.body,
        placeholders: [...(template.placeholders ?? [])],
      })),
  };
}
