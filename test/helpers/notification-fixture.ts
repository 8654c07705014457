import request from 'supertest';
import { createApiKey } from '../../src/auth/api-keys';
import { ensureDemoChannels } from '../../src/demo/demo-channels';
import { type CreateUserInput, createUserInput, type VirtualUser } from '../../src/sandbox/virtual-users';
import { trustedWorkspaceId, type WorkspaceId } from '../../src/storage/tenant-repository';
import { PlatformModeration, platformTemplateKinds } from '../../src/templates/platform-moderation';
import type { StoredTemplate } from '../../src/templates/template-service';
import { createWorkspace } from '../../src/workspaces/create-workspace';
import { eventually, startTestSandbox, type TestSandbox } from '../contract/helpers/sandbox-control';
import { listenPublic } from './public-server';
import { createTestStack, type TestStack } from './test-stack';

/**
 * A real Vestnik (API + workers) on a real HTTP port, the whole sandbox, and a workspace with one
 * channel of every type wired to it — the demo's own channel table — plus a moderator key.
 */
export interface NotificationFixture {
  stack: TestStack;
  sandbox: TestSandbox;
  workspaceId: WorkspaceId;
  apiKey: string;
  otherKey: string;
  moderatorKey: string;
  /** Channel id by type. */
  channels: Record<string, string>;
  close(): Promise<void>;
}

export async function startNotificationFixture(
  label: string,
  overrides: Record<string, string> = {},
): Promise<NotificationFixture> {
  const server = await listenPublic();
  const stack = await createTestStack(label, {
    PUBLIC_URL: server.url,
    WEBHOOKS_ALLOW_PRIVATE: 'true',
    ...overrides,
  });
  server.server.on('request', stack.app);
  await stack.startWorkers();
  const sandbox = await startTestSandbox(`${label}-sandbox`);
  const shop = await createWorkspace(stack.models, { name: 'Shop' });
  const other = await createWorkspace(stack.models, { name: 'Other' });
  const workspaceId = trustedWorkspaceId(shop.workspaceId);
  const moderatorKey = (
    await createApiKey(stack.models, workspaceId, { name: 'mod', scopes: ['templates:moderate'] })
  ).key;
  const wired = await ensureDemoChannels({
    sandbox: sandbox.sandbox,
    channels: stack.channels.service,
    workspaceId,
    logger: stack.logger,
  });
  return {
    stack,
    sandbox,
    workspaceId,
    apiKey: shop.apiKey,
    otherKey: other.apiKey,
    moderatorKey,
    channels: Object.fromEntries(wired.channels.map((channel) => [channel.type, channel.id])),
    async close() {
      await server.close();
      await sandbox.close();
      await stack.close();
    },
  };
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** Creates, submits and approves a template; returns its id. */
export async function approvedTemplate(
  fixture: NotificationFixture,
  body: Record<string, unknown>,
): Promise<string> {
  const created = await request(fixture.stack.app)
    .post('/v1/templates')
    .set(bearer(fixture.apiKey))
    .send({ category: 'transactional', ...body });
  if (created.status !== 201) throw new Error(`template: ${created.status} ${JSON.stringify(created.body)}`);
  const id = String(created.body.id);
  await request(fixture.stack.app)
    .post(`/v1/templates/${id}/submit`)
    .set(bearer(fixture.apiKey))
    .send({})
    .expect(200);
  await request(fixture.stack.app)
    .post(`/v1/templates/${id}/approve`)
    .set(bearer(fixture.moderatorKey))
    .send({})
    .expect(200);
  const platformChannels = platformTemplateKinds.flatMap((kind) => fixture.channels[kind] ?? []);
  await platformApproved(fixture, id, platformChannels);
  return id;
}

/**
 * Waits until the platforms that moderate templates themselves (the notification gateway,
 * WhatsApp) approved the template on each of `channelIds`, polling as the moderation job does.
 */
export async function platformApproved(
  fixture: NotificationFixture,
  templateId: string,
  channelIds: readonly string[],
): Promise<void> {
  const moderation = new PlatformModeration({
    models: fixture.stack.models,
    runtime: fixture.stack.channels.runtime,
    logger: fixture.stack.logger,
  });
  let last: unknown;
  await eventually(
    async () => {
      await moderation.pollOnce();
      const doc = (await fixture.stack.models.Template.findById(templateId).lean().exec()) as StoredTemplate;
      last = doc.platformApprovals;
      const approved = channelIds.every((id) =>
        doc.platformApprovals.some((entry) => entry.channelId === id && entry.status === 'approved'),
      );
      return approved ? true : undefined;
    },
    `platform approval of template ${templateId} on ${channelIds.join(', ')}`,
    15_000,
  ).catch((error: Error) => {
    throw new Error(`${error.message}; approvals: ${JSON.stringify(last)}`);
  });
  await moderation.idle();
}

/** A sandbox person with an account on every chat platform, and the matching Vestnik contact. */
export function personWithContact(
  fixture: NotificationFixture,
  phone: string,
  options: { name?: string } = {},
) {
  return sandboxPerson(fixture, {
    phone,
    name: options.name ?? 'Анна',
    email: `u${phone.slice(-6)}@example.ru`,
  });
}

/**
 * A sandbox person (accounts, activity and read habits as given) and the matching Vestnik contact,
 * with an identity on every fixture channel the person has an account on. `email` overrides the
 * contact's address (an address no sandbox mailbox has, for the undelivered e-mail path).
 */
export async function sandboxPerson(
  fixture: NotificationFixture,
  input: CreateUserInput,
  options: { email?: string } = {},
): Promise<{ user: VirtualUser; contactId: string }> {
  const user = fixture.sandbox.sandbox.context.users.create(createUserInput.parse(input));
  const identities = Object.entries(fixture.channels).flatMap(([type, channelId]) => {
    const account = user.accounts[type as keyof VirtualUser['accounts']];
    return account ? [{ channelId, channelType: type, externalUserId: account.id }] : [];
  });
  const contact = await fixture.stack.models.Contact.create({
    workspaceId: fixture.workspaceId,
    name: user.name,
    phone: user.phone,
    email: options.email ?? user.email,
    identities,
  });
  return { user, contactId: String(contact._id) };
}

export async function sendNotification(fixture: NotificationFixture, body: Record<string, unknown>) {
  const res = await request(fixture.stack.app)
    .post('/v1/notifications')
    .set(bearer(fixture.apiKey))
    .send(body);
  if (res.status !== 202) throw new Error(`send failed: ${res.status} ${JSON.stringify(res.body)}`);
  return String(res.body.id);
}

export async function getNotification(fixture: NotificationFixture, id: string) {
  const res = await request(fixture.stack.app)
    .get(`/v1/notifications/${id}`)
    .set(bearer(fixture.apiKey))
    .expect(200);
  return res.body as {
    status: string;
    billable: boolean;
    finalReason: string | null;
    attempts: Array<{
      step: number;
      status: string;
      reason: string | null;
      detail: string | null;
      withdrawn: boolean | null;
      externalMessageId: string | null;
      channel: { id: string; type: string };
      timeline: Array<{ status: string; at: string }>;
    }>;
  };
}

/** Waits until the notification reaches `status` (or fails naming where it is). */
export async function waitForStatus(
  fixture: NotificationFixture,
  id: string,
  status: string,
  timeoutMs = 10_000,
) {
  let last: Awaited<ReturnType<typeof getNotification>> | undefined;
  try {
    return await eventually(
      async () => {
        last = await getNotification(fixture, id);
        return last.status === status ? last : undefined;
      },
      `notification ${id} to become ${status}`,
      timeoutMs,
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}; it is ${JSON.stringify(last)}`);
  }
}

/** Lets the attempt's TTL pass now (the deadline moves into the past) and runs the sweeper. */
export async function passTtl(fixture: NotificationFixture, id: string, step: number): Promise<void> {
  await fixture.stack.models.NotificationAttempt.updateOne(
    { notificationId: id, step },
    { $set: { expiresAt: new Date(Date.now() - 1000) } },
  ).exec();
  await fixture.stack.notifications.sweep(0);
}
