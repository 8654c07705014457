import type { AdapterDefinition, ChannelAdapter, Recipient } from '../../adapters/contract';
import type { VkConfig } from '../../adapters/vk/config-schema';
import type { ContractEnvironment } from './helpers/adapter-contract';
import type { SandboxControl, SandboxUser } from './helpers/sandbox-control';
import type { CapturedWebhook, WebhookReceiver } from './helpers/webhook-receiver';

export interface VkCommunityAccount {
  groupId: number;
  accessToken: string;
  confirmationCode: string;
  apiBaseUrl: string;
  callbackServers: Array<{ id: number; url: string; status: string }>;
}

export const silentLogger = { debug() {}, info() {}, warn() {}, error() {} };

/** The Callback API secret key the test channels use. */
export const vkSecretKey = 'contract-secret-key';

/**
 * Creates a sandbox community and an adapter on it, wired to the receiver before `connect()`
 * (which registers the Callback API server by API, and VK's confirmation request needs an answer).
 */
export async function createVkChannel(
  env: { control: SandboxControl; receiver: WebhookReceiver },
  definition: AdapterDefinition<VkConfig>,
  account: Record<string, unknown> = {},
): Promise<{ adapter: ChannelAdapter; account: VkCommunityAccount; config: VkConfig }> {
  const created = await env.control.createAccount<VkCommunityAccount>('vk', account);
  const config = definition.configSchema.parse({
    groupId: created.groupId,
    accessToken: created.accessToken,
    secretKey: vkSecretKey,
    confirmationCode: created.confirmationCode,
    apiBaseUrl: created.apiBaseUrl,
  });
  const adapter = definition.create(config, {
    logger: silentLogger,
    webhook: { url: env.receiver.url, key: env.receiver.key },
    emit: env.receiver.emit,
    requestTimeoutMs: 5_000,
  });
  env.receiver.adapter = adapter;
  const connected = await adapter.connect();
  if (connected.webhook !== 'registered') throw new Error(`connect: ${JSON.stringify(connected)}`);
  return { adapter, account: created, config };
}

export async function createVkRecipient(
  env: Pick<ContractEnvironment, 'control'>,
  accounts: Record<string, unknown> = { vk: true },
  phone = '+79161234567',
): Promise<{ user: SandboxUser; recipient: Recipient; externalUserId: string }> {
  const user = await env.control.createUser({ phone, name: 'Анна', accounts });
  const externalUserId = user.accounts.vk?.id ?? '';
  return { user, recipient: { kind: 'user', externalUserId }, externalUserId };
}

/** A genuine Callback API request with a different `secret` in its JSON body (VK signs nothing). */
export function tamperVkSecret(request: CapturedWebhook): CapturedWebhook {
  const body = JSON.parse(request.rawBody.toString('utf8')) as Record<string, unknown>;
  return { ...request, rawBody: Buffer.from(JSON.stringify({ ...body, secret: 'forged-secret' })) };
}
