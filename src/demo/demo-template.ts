import type { ChannelKind } from '../../adapters/contract';
import { isDuplicateKey } from '../storage/duplicate-key';
import type { Models } from '../storage/models';
import { TenantRepository, type WorkspaceId } from '../storage/tenant-repository';
import { extractPlaceholders } from '../templates/placeholders';
import type { PlatformModeration } from '../templates/platform-moderation';
import { changeTemplate } from '../templates/template-claim-model';
import type { TemplateDoc } from '../templates/template-model';
import { type CreateTemplate, createTemplateSchema } from '../templates/template-schema';
import { TemplateService } from '../templates/template-service';

const demoChannels: ChannelKind[] = [
  'vk-notify',
  'ok-notify',
  'sms',
  'telegram',
  'vk',
  'viber',
  'whatsapp',
  'email',
];

/**
 * The demo's service notification. `###order#` is a literal `#` then the `#order#` placeholder
 * ("Заказ #1042"); the text does not end with a placeholder, which WhatsApp's review refuses.
 */
export const orderShippedTemplate: CreateTemplate = createTemplateSchema.parse({
  name: 'order_shipped',
  body: 'Заказ ###order# передан в доставку. Трек-номер: #track#. Статус — в приложении магазина.',
  category: 'delivery',
  channels: demoChannels,
});

/** How long a start waits for the sandbox platforms' own moderation (they decide in ~0.3 s). */
const platformWaitMs = 3_000;

/**
 * The bank example's notification (`bot-flows/examples/bank-followup.yaml` answers it): «Это
 * вы?» with Да / Нет buttons whose payloads the flow reacts to. On the chat channels only.
 */
export const demoCardOperationTemplate: CreateTemplate = createTemplateSchema.parse({
  name: 'card_operation',
  body: 'Операция по карте *#card# на #amount# в #shop#. Это вы? Ответьте кнопкой или словами «да» / «нет».',
  category: 'payment',
  channels: ['telegram', 'vk', 'viber', 'whatsapp', 'ok'],
  buttons: [
    { kind: 'text', label: 'Да', payload: 'confirm' },
    { kind: 'text', label: 'Нет', payload: 'deny' },
  ],
});

async function findOrCreate(
  models: Models,
  workspaceId: WorkspaceId,
  demoTemplate: CreateTemplate,
): Promise<string> {
  const service = new TemplateService(models);
  const existing = await service.findSendable(workspaceId, { name: demoTemplate.name });
  if (existing) return String(existing._id);
  const repo = new TenantRepository(models.Template);
  const versions = await repo.find(workspaceId, { name: demoTemplate.name }, { limit: 1000 });
  const version = Math.max(0, ...versions.map((doc) => doc.version)) + 1;
  const { body, category, channels, buttons } = demoTemplate;
  try {
    const created = await repo.create(workspaceId, {
      name: demoTemplate.name,
      version,
      status: 'approved',
      body,
      advertisingTail: null,
      category,
      channels,
      buttons,
      imageIds: [],
      placeholders: extractPlaceholders(body),
      rejectionReason: null,
      moderatedBy: 'demo-seed',
      moderatedAt: new Date(),
      platformApprovals: [],
      seq: 0,
    });
    return String(created._id);
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    return findOrCreate(models, workspaceId, demoTemplate);
  }
}

/** The sandbox keeps no state across starts: platform approvals of an earlier start are void. */
async function forgetPlatformApprovals(models: Models, workspaceId: WorkspaceId, id: string): Promise<void> {
  const repo = new TenantRepository<TemplateDoc>(models.Template);
  const current = await repo.findById(workspaceId, id);
  if (!current || (current.platformApprovals ?? []).length === 0) return;
  const reset = { action: 'demo:platform-reset', credentialId: null, set: { platformApprovals: [] } };
  await changeTemplate(models, current, reset);
}

async function awaitPlatforms(
  models: Models,
  moderation: PlatformModeration,
  workspaceId: WorkspaceId,
  id: string,
) {
  const deadline = Date.now() + platformWaitMs;
  for (;;) {
    await moderation.syncTemplate(workspaceId, id);
    const doc = await new TenantRepository(models.Template).findById(workspaceId, id);
    const waiting = (doc?.platformApprovals ?? []).some((entry) => entry.status === 'pending');
    if (!waiting || Date.now() > deadline) return;
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

/**
 * Local mode: makes sure the demo workspace has the approved `order_shipped` template (allowed on
 * every demo channel type) and returns its id, the same one across restarts. With `moderation`
 * (the sandbox was wired this start), it is submitted to the sandbox platforms that moderate
 * templates (the notification gateway, WhatsApp), whose automatic review approves it; this waits
 * up to 3 s for their verdicts, and the poller records anything later.
 */
export async function ensureDemoTemplate(options: {
  models: Models;
  workspaceId: WorkspaceId;
  moderation?: PlatformModeration;
  /** Default: `order_shipped`. */
  template?: CreateTemplate;
}): Promise<{ id: string; name: string }> {
  const { models, workspaceId, moderation } = options;
  const demoTemplate = options.template ?? orderShippedTemplate;
  const id = await findOrCreate(models, workspaceId, demoTemplate);
  if (moderation) {
    await forgetPlatformApprovals(models, workspaceId, id);
    await awaitPlatforms(models, moderation, workspaceId, id);
  }
  return { id, name: demoTemplate.name };
}
