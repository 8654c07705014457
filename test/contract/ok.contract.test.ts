import type { AdapterLogger } from '../../adapters/contract';
import { okAdapter } from '../../adapters/ok';
import { okFloodRetryAfterMs } from '../../adapters/ok/error-mapping';
import { describeAdapterContract } from './helpers/adapter-contract';

const silentLogger: AdapterLogger = { debug() {}, info() {}, warn() {}, error() {} };

interface OkChatList {
  chats: Array<{ chat_id: string; participants: Record<string, number> }>;
}

/** The group's dialog with an OK user, found through the real `GET /graph/me/chats`. */
async function findDialog(apiBaseUrl: string, accessToken: string, okUserId: string): Promise<string> {
  const response = await fetch(
    `${apiBaseUrl}/graph/me/chats?access_token=${encodeURIComponent(accessToken)}`,
  );
  const { chats } = (await response.json()) as OkChatList;
  const chat = chats.find((candidate) => `user:${okUserId}` in candidate.participants);
  if (!chat) throw new Error(`no OK dialog with user:${okUserId}`);
  return chat.chat_id;
}

let group = { accessToken: '', apiBaseUrl: '' };

describeAdapterContract('ok', {
  simulator: 'ok',
  receivedOn: 'ok',
  async createAdapter({ sandbox, control, receiver }) {
    const { accessToken } = await control.createAccount<{ accessToken: string }>('ok', { name: 'Пекарня' });
    group = { accessToken, apiBaseUrl: `${sandbox.sandbox.url}/ok` };
    const adapter = okAdapter.create(okAdapter.configSchema.parse(group), {
      logger: silentLogger,
      webhook: { url: receiver.url, key: receiver.key },
      emit: receiver.emit,
      requestTimeoutMs: 5_000,
    });
    expect(await adapter.connect()).toEqual({ webhook: 'registered' });
    return adapter;
  },
  async createRecipient({ control }) {
    const user = await control.createUser({ phone: '+79161110001', name: 'Анна', accounts: { ok: true } });
    const chatId = await findDialog(group.apiBaseUrl, group.accessToken, user.accounts.ok?.id ?? '');
    return { user, recipient: { kind: 'user', externalUserId: chatId }, externalUserId: chatId };
  },
  tamper: (request) => ({ ...request, query: { ...request.query, key: `${request.query.key ?? ''}x` } }),
  expectedRetryAfterMs: okFloodRetryAfterMs,
});
