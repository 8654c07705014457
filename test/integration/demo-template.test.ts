import { ensureDemoChannels } from '../../src/demo/demo-channels';
import { ensureDemoTemplate } from '../../src/demo/demo-template';
import { trustedWorkspaceId, type WorkspaceId } from '../../src/storage/tenant-repository';
import { renderTemplate } from '../../src/templates/placeholders';
import { PlatformModeration } from '../../src/templates/platform-moderation';
import { templateSendableOn } from '../../src/templates/template-sendability';
import type { StoredTemplate } from '../../src/templates/template-service';
import { createWorkspace } from '../../src/workspaces/create-workspace';
import { startTestSandbox, type TestSandbox } from '../contract/helpers/sandbox-control';
import { listenPublic, type PublicServer } from '../helpers/public-server';
import { createTestStack, type TestStack } from '../helpers/test-stack';

/** The demo's `order_shipped`: approved by us, and by the sandbox platforms on every start. */
let stack: TestStack;
let server: PublicServer;
const sandboxes: TestSandbox[] = [];
let workspaceId: WorkspaceId;
let moderation: PlatformModeration;

/** One local-mode start: a fresh sandbox (it keeps no state), demo channels pointed at it, the template. */
async function start() {
  const sandbox = await startTestSandbox(`demo-template-${sandboxes.length}`);
  sandboxes.push(sandbox);
  const wired = await ensureDemoChannels({
    sandbox: sandbox.sandbox,
    channels: stack.channels.service,
    workspaceId,
    logger: stack.logger,
  });
  const template = await ensureDemoTemplate({ models: stack.models, workspaceId, moderation });
  return { sandbox, channels: wired.channels, template };
}

beforeAll(async () => {
  server = await listenPublic();
  const publicUrl = server.url;
  stack = await createTestStack('demo-template', { PUBLIC_URL: publicUrl });
  server.server.on('request', stack.app);
  workspaceId = trustedWorkspaceId((await createWorkspace(stack.models, { name: 'Demo shop' })).workspaceId);
  moderation = new PlatformModeration({
    models: stack.models,
    runtime: stack.channels.runtime,
    logger: stack.logger,
  });
});
afterAll(async () => {
  await server.close();
  for (const sandbox of sandboxes) await sandbox.close();
  await stack.close();
});

const stored = async (id: string) =>
  (await stack.models.Template.findById(id).lean().exec()) as StoredTemplate;

describe('demo template', () => {
  it('is approved and sendable on every demo channel, the platforms included', async () => {
    const { channels, template } = await start();
    const doc = await stored(template.id);
    expect(doc).toMatchObject({
      name: 'order_shipped',
      status: 'approved',
      placeholders: ['order', 'track'],
    });
    const rendered = renderTemplate({ body: doc.body }, { order: '1042', track: 'RA123' });
    expect(rendered.ok && rendered.text).toBe(
      'Заказ #1042 передан в доставку. Трек-номер: RA123. Статус — в приложении магазина.',
    );
    const platformTypes = ['vk-notify', 'ok-notify', 'whatsapp'];
    expect(doc.platformApprovals.map((entry) => [entry.channelType, entry.status]).sort()).toEqual(
      platformTypes.map((type) => [type, 'approved']).sort(),
    );
    const wanted = ['vk-notify', 'ok-notify', 'sms', 'telegram', 'vk', 'viber', 'whatsapp', 'email'];
    for (const channel of channels.filter((candidate) => wanted.includes(candidate.type))) {
      const type = channel.type as StoredTemplate['channels'][number];
      const sendable = templateSendableOn(doc, {
        id: channel.id,
        type,
        platformTemplates: platformTypes.includes(type),
      });
      expect({ type, ...sendable }).toMatchObject({ type, ok: true });
    }
  });

  it('keeps the same template across restarts and has the new sandbox accounts approve it again', async () => {
    const before = await stack.models.Template.countDocuments({ name: 'order_shipped' }).exec();
    const { sandbox, template } = await start();
    const all = await stack.models.Template.find({ name: 'order_shipped' }).lean().exec();
    expect(all).toHaveLength(before);
    expect(String(all[0]?._id)).toBe(template.id);
    const submissions = (await sandbox.control.requests('notify')).filter((r) =>
      r.path.endsWith('/message_template'),
    );
    expect(submissions).toHaveLength(2);
    const doc = await stored(template.id);
    expect(doc.platformApprovals.every((entry) => entry.status === 'approved')).toBe(true);
    expect(doc.platformApprovals).toHaveLength(3);
  });
});
