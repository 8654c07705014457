import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Types } from 'mongoose';
import { type BotFlowsLayer, createBotFlowsLayer } from '../../inbox/bot/bot-flows-layer';
import { demoFlowFiles, seedDemoFlows } from '../../inbox/bot/demo-flows';
import { createFlowFolder } from '../../inbox/bot/flow-folder';
import type { FlowHints } from '../../inbox/bot/flow-precedence';
import type { ActiveFlow } from '../../inbox/bot/flow-registry-port';
import { trustedWorkspaceId, type WorkspaceId } from '../../src/storage/tenant-repository';
import { createWorkspace } from '../../src/workspaces/create-workspace';
import { eventually } from '../contract/helpers/sandbox-control';
import { createTestStack, type TestStack } from '../helpers/test-stack';

let dir: string;
let stack: TestStack;
let layer: BotFlowsLayer;
let workspaceId: WorkspaceId;

const channel = { id: new Types.ObjectId().toHexString(), type: 'telegram' };
const noHints: FlowHints = { current: null, replyToTemplate: null };

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'vestnik-bot-flows-'));
  stack = await createTestStack('bot-flows-folder', { BOT_FLOWS_DIR: dir, BOT_FLOWS_REFRESH_MS: '600000' });
  layer = createBotFlowsLayer(stack);
  await layer.start();
  workspaceId = trustedWorkspaceId(
    (await createWorkspace(stack.models, { name: 'Folder shop' })).workspaceId,
  );
  await mkdir(path.join(dir, workspaceId));
}, 60_000);
afterAll(async () => {
  await layer?.stop();
  await stack?.close();
  await rm(dir, { recursive: true, force: true });
});

/** A one-entry FAQ flow; `description` tells its edits apart. */
const flowFile = (name: string, description: string) =>
  `flow: ${name}\ndescription: ${description}\nfaq:\n  - id: delivery\n    questions: [Сколько стоит доставка?]\n    answer: 300 ₽\n`;

/** Polls the registry until `accept` takes what it answers for the workspace. */
function servedWhen(accept: (active: ActiveFlow | null) => boolean, what: string, ws: string = workspaceId) {
  return eventually(async () => {
    const active = await layer.registry.flowFor(ws, channel, noHints);
    return accept(active) ? active : undefined;
  }, what);
}

describe('the flows folder', () => {
  const file = () => path.join(dir, workspaceId, 'shop.yaml');

  it('serves a file written into the workspace’s folder, and its edits', async () => {
    await writeFile(file(), flowFile('shop', 'first'));
    const first = await servedWhen((a) => a?.flow.description === 'first', 'the new file to be served');
    expect(first).toMatchObject({ origin: 'folder', version: 0, flow: { name: 'shop' } });
    await writeFile(file(), flowFile('shop', 'edited'));
    await servedWhen((a) => a?.flow.description === 'edited', 'the edit to be served');
  });

  it('keeps the last good version of a broken file and logs where it is broken', async () => {
    await writeFile(file(), 'flow: shop\nfaq:\n  - id: delivery\n    questions: []\n    answer: 300 ₽\n');
    const line = await eventually(
      () => stack.logLines.find((entry) => entry.includes('bot flow file refused')),
      'the refusal to be logged',
    );
    expect(JSON.parse(line)).toMatchObject({ level: 40, keptFlow: 'shop' });
    expect(line).toContain(`${file()}:4:5 faq[0].questions: must list at least one`);
    expect((await layer.registry.flowFor(workspaceId, channel, noHints))?.flow.description).toBe('edited');
  });

  it('drops the flow of a deleted file', async () => {
    await rm(file());
    await servedWhen((a) => a === null, 'the flow to be gone');
  });

  it('wins over an uploaded flow of the same name, which serves again once the file is gone', async () => {
    await stack.models.BotFlow.create({
      workspaceId,
      name: 'shop',
      version: 1,
      source: flowFile('shop', 'uploaded'),
      format: 'yaml',
      channels: null,
      notifications: [],
      entryCount: 1,
      createdBy: { type: 'api-key', id: 'k', name: 'key' },
      createdAt: new Date(),
    });
    await stack.models.BotFlowHead.create({
      workspaceId,
      name: 'shop',
      activeVersion: 1,
      latestVersion: 1,
      enabled: true,
      updatedAt: new Date(),
    });
    layer.registry.invalidate(workspaceId);
    expect(await layer.registry.flowFor(workspaceId, channel, noHints)).toMatchObject({
      origin: 'api',
      version: 1,
    });
    await writeFile(file(), flowFile('shop', 'from the folder'));
    await servedWhen(
      (a) => a?.origin === 'folder' && a.flow.description === 'from the folder',
      'the file to win',
    );
    await rm(file());
    await servedWhen((a) => a?.origin === 'api', 'the upload to serve again');
  });

  it('loads the files already there before start resolves', async () => {
    await writeFile(path.join(dir, workspaceId, 'early.json'), JSON.stringify({ ...earlyFlow }));
    const folder = createFlowFolder({ dir, logger: stack.logger });
    try {
      await folder.start();
      expect(folder.flowsIn(workspaceId).map((f) => f.flow.name)).toEqual(['early']);
    } finally {
      await folder.close();
      await rm(path.join(dir, workspaceId, 'early.json'));
    }
  });
});

const earlyFlow = { flow: 'early', faq: [{ id: 'hi', questions: ['привет'], answer: 'Здравствуйте' }] };

describe('the demo workspace', () => {
  it('runs the flows of demo/ in the workspace marked demo, and only there', async () => {
    const demo = trustedWorkspaceId(
      (await createWorkspace(stack.models, { name: 'Demo', demo: true })).workspaceId,
    );
    await mkdir(path.join(dir, 'demo'), { recursive: true });
    await writeFile(path.join(dir, 'demo', 'demo-faq.yaml'), flowFile('demo-faq', 'demo'));
    await servedWhen((a) => a?.flow.name === 'demo-faq', 'the demo flow', demo);
    expect(await layer.registry.flowFor(workspaceId, channel, noHints)).toMatchObject({ origin: 'api' });
    await rm(path.join(dir, 'demo'), { recursive: true });
    await servedWhen((a) => a === null, 'the demo flow to be gone with its folder', demo);
  });

  it('seeds the example flows into demo/ once, leaving an existing folder alone', async () => {
    const seedDir = await mkdtemp(path.join(tmpdir(), 'vestnik-demo-flows-'));
    try {
      const written = await seedDemoFlows(seedDir);
      expect(written.map((file) => path.basename(file))).toEqual([...demoFlowFiles]);
      const folder = createFlowFolder({ dir: seedDir, logger: stack.logger });
      await folder.start();
      await folder.close();
      expect(folder.flowsIn('demo')).toHaveLength(demoFlowFiles.length);
      await rm(written[0] ?? '');
      expect(await seedDemoFlows(seedDir)).toEqual([]);
      expect(await readdir(path.join(seedDir, 'demo'))).toHaveLength(demoFlowFiles.length - 1);
    } finally {
      await rm(seedDir, { recursive: true, force: true });
    }
  });
});
