import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { ChannelKind } from '../../adapters/contract';
import type { ChannelService } from '../channels/channel-service';
import type { Logger } from '../logging/logger';
import type { RunningSandbox } from '../sandbox/run-sandbox';
import type { SimulatorName } from '../sandbox/simulators';
import type { WorkspaceId } from '../storage/tenant-repository';

type Account = Record<string, unknown>;

interface DemoChannel {
  simulator: SimulatorName;
  name: string;
  account: Account;
  /** The channel config built from the sandbox account (validated again by the adapter's schema). */
  config(account: Account): Record<string, unknown>;
  /** Platform steps after the channel exists (VK: add the callback server, as an admin would). */
  afterCreate?(
    sandbox: RunningSandbox,
    account: Account,
    webhookUrl: string,
    config: Record<string, unknown>,
  ): Promise<void>;
}

const str = (account: Account, key: string): string => z.string().parse(account[key]);
const num = (account: Account, key: string): number => z.number().parse(account[key]);

/** One demo channel of every type, each wired to the sandbox. A table, not a switch. */
const demoChannels: Record<ChannelKind, DemoChannel> = {
  vk: {
    simulator: 'vk',
    name: 'Demo VK community',
    account: { name: 'Vestnik Demo' },
    config: (a) => ({
      groupId: num(a, 'groupId'),
      accessToken: str(a, 'accessToken'),
      confirmationCode: str(a, 'confirmationCode'),
      secretKey: randomBytes(12).toString('hex'),
      apiBaseUrl: str(a, 'apiBaseUrl'),
    }),
  },
  'vk-notify': {
    simulator: 'notify',
    name: 'Demo VK notifications',
    account: { name: 'Vestnik Demo' },
    config: (a) => ({
      apiKey: str(a, 'apiKey'),
      callbackSecret: str(a, 'callbackSecret'),
      apiBaseUrl: str(a, 'apiBaseUrl'),
    }),
  },
  'ok-notify': {
    simulator: 'notify',
    name: 'Demo OK notifications',
    account: { name: 'Vestnik Demo OK' },
    config: (a) => ({
      apiKey: str(a, 'apiKey'),
      callbackSecret: str(a, 'callbackSecret'),
      apiBaseUrl: str(a, 'apiBaseUrl'),
    }),
  },
  ok: {
    simulator: 'ok',
    name: 'Demo OK group',
    account: { name: 'Vestnik Demo' },
    config: (a) => ({ accessToken: str(a, 'accessToken') }),
  },
  telegram: {
    simulator: 'telegram',
    name: 'Demo Telegram bot',
    account: {},
    config: (a) => ({ botToken: str(a, 'token'), apiRoot: str(a, 'apiRoot') }),
  },
  viber: {
    simulator: 'viber',
    name: 'Demo Viber bot',
    account: { name: 'Vestnik Demo' },
    config: (a) => ({ authToken: str(a, 'authToken'), botName: 'Vestnik Demo' }),
  },
  whatsapp: {
    simulator: 'whatsapp',
    name: 'Demo WhatsApp number',
    account: {},
    config: (a) => ({
      phoneNumberId: str(a, 'phoneNumberId'),
      wabaId: str(a, 'wabaId'),
      accessToken: str(a, 'accessToken'),
      appSecret: str(a, 'appSecret'),
      apiBaseUrl: str(a, 'apiBaseUrl'),
      apiVersion: str(a, 'apiVersion'),
    }),
  },
  sms: {
    simulator: 'sms',
    name: 'Demo SMS (SMPP)',
    account: {},
    config: (a) => ({
      host: str(a, 'host'),
      port: num(a, 'port'),
      systemId: str(a, 'systemId'),
      password: str(a, 'password'),
      sourceAddr: 'Vestnik',
    }),
  },
  email: {
    simulator: 'email',
    name: 'Demo e-mail (SMTP)',
    account: {},
    config: (a) => ({
      host: str(a, 'host'),
      port: num(a, 'port'),
      secure: false,
      requireTls: false,
      user: str(a, 'user'),
      password: str(a, 'password'),
      from: { address: 'demo@vestnik.local', name: 'Vestnik Demo' },
    }),
  },
};

/** Platform base URLs the sandbox tells each simulator's SDK to use, added to configs that take one. */
function withBaseUrl(
  kind: ChannelKind,
  sandbox: RunningSandbox,
  config: Record<string, unknown>,
): Record<string, unknown> {
  const baseUrls: Partial<Record<ChannelKind, Record<string, string>>> = {
    ok: { apiBaseUrl: `${sandbox.url}/ok` },
    viber: { apiBaseUrl: `${sandbox.url}/viber/pa` },
  };
  return { ...config, ...(baseUrls[kind] ?? {}) };
}

export interface DemoSandboxState {
  channels: Array<{ id: string; type: string; name: string }>;
  users: Array<{ id: string; name: string; phone: string }>;
}

/**
 * Gives the demo workspace one channel of every type wired to this run's sandbox. The sandbox keeps
 * its state in memory, so every start makes fresh sandbox accounts and points the existing demo
 * channels at them (PATCH, which registers webhooks again); a channel that fails is reported and skipped.
 */
export async function ensureDemoChannels(options: {
  sandbox: RunningSandbox;
  channels: ChannelService;
  workspaceId: WorkspaceId;
  logger: Logger;
}): Promise<DemoSandboxState> {
  const { sandbox, channels, workspaceId } = options;
  const existing = new Map((await channels.list(workspaceId)).map((doc) => [doc.name, doc]));
  const result: DemoSandboxState['channels'] = [];
  for (const [kind, demo] of Object.entries(demoChannels) as Array<[ChannelKind, DemoChannel]>) {
    try {
      const platform = sandbox.platforms.get(demo.simulator);
      if (!platform) continue;
      const account = (await platform.createAccount(demo.account)) as Account;
      const config = withBaseUrl(kind, sandbox, demo.config(account));
      const current = existing.get(demo.name);
      const doc = current
        ? await channels.update(workspaceId, String(current._id), { config })
        : await channels.create(workspaceId, { type: kind, name: demo.name, config });
      result.push({ id: String(doc._id), type: kind, name: demo.name });
    } catch (error) {
      options.logger.warn({ err: error, kind }, 'demo channel could not be wired to the sandbox');
    }
  }
  return { channels: result, users: demoUsers(sandbox) };
}

const demoPeople = [
  { name: 'Анна Смирнова', phone: '+79161234567', email: 'anna@example.ru' },
  { name: 'Иван Петров', phone: '+79031112233', email: 'ivan@example.ru' },
  { name: 'Maria Ivanova', phone: '+79265554433', email: 'maria@example.com', readDelayMs: 3000 },
];

function demoUsers(sandbox: RunningSandbox): DemoSandboxState['users'] {
  return demoPeople.map((person) => {
    const user =
      sandbox.context.users.byPhone(person.phone) ??
      sandbox.context.users.create({
        phone: person.phone,
        name: person.name,
        email: person.email,
        lastSeenMinutesAgo: 5,
        readDelayMs: person.readDelayMs ?? null,
        accounts: { vk: true, ok: true, telegram: true, viber: true, whatsapp: true },
      });
    return { id: user.id, name: user.name, phone: user.phone };
  });
}
