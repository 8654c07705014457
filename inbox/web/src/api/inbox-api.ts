import { api } from './http';
import type {
  CannedResponse,
  ChannelSummary,
  ComposerInfo,
  ConversationPage,
  ConversationStatus,
  ConversationView,
  InboxOperator,
  Me,
  MessageView,
  Page,
  TemplateView,
} from './types';

export interface ConversationFilter {
  status: ConversationStatus;
  assignee: 'all' | 'me' | 'unassigned' | string;
  channel: string;
  tag: string;
  q: string;
}

interface LoginAnswer {
  operator: { id: string; email: string; name: string; role: Me['role']; workspaceId: string };
}

interface WorkspaceAnswer {
  workspace: { id: string; name: string; demo: boolean };
  credential: { kind: 'apiKey' | 'operator'; id: string; role?: Me['role']; scopes: string[] };
}

/** The operator API (/v1), one function per call the UI makes. */
export const inboxApi = {
  login: (email: string, password: string, workspaceId?: string) =>
    api<LoginAnswer>('POST', '/auth/login', {
      body: { email, password, ...(workspaceId ? { workspaceId } : {}) },
    }),
  logout: () => api<void>('POST', '/auth/logout'),
  async me(): Promise<Me | null> {
    const answer = await api<WorkspaceAnswer>('GET', '/workspace');
    if (answer.credential.kind !== 'operator') return null;
    return {
      workspace: answer.workspace,
      operatorId: answer.credential.id,
      role: answer.credential.role ?? 'operator',
      scopes: answer.credential.scopes,
    };
  },
  conversations: (filter: ConversationFilter, cursor?: string | null, signal?: AbortSignal) =>
    api<ConversationPage>('GET', '/conversations', {
      query: {
        status: filter.status,
        assignee: filter.assignee === 'all' ? undefined : filter.assignee,
        channel: filter.channel,
        tag: filter.tag,
        q: filter.q.trim(),
        cursor,
        limit: 50,
      },
      signal,
    }),
  conversation: (id: string) => api<ConversationView>('GET', `/conversations/${encodeURIComponent(id)}`),
  messages: (id: string, cursor?: string | null) =>
    api<Page<MessageView>>('GET', `/conversations/${encodeURIComponent(id)}/messages`, {
      query: { cursor, limit: 50 },
    }),
  reply: (id: string, body: { text?: string; templateId?: string; params?: Record<string, string> }) =>
    api<MessageView>('POST', `/conversations/${encodeURIComponent(id)}/messages`, { body }),
  note: (id: string, text: string) =>
    api<MessageView>('POST', `/conversations/${encodeURIComponent(id)}/notes`, { body: { text } }),
  assign: (id: string, operatorId: string | null) =>
    api<ConversationView>('POST', `/conversations/${encodeURIComponent(id)}/assign`, {
      body: { operatorId },
    }),
  resolve: (id: string) => api<ConversationView>('POST', `/conversations/${encodeURIComponent(id)}/resolve`),
  reopen: (id: string) => api<ConversationView>('POST', `/conversations/${encodeURIComponent(id)}/reopen`),
  setTags: (id: string, tags: string[]) =>
    api<ConversationView>('PUT', `/conversations/${encodeURIComponent(id)}/tags`, { body: { tags } }),
  markRead: (id: string) => api<ConversationView>('POST', `/conversations/${encodeURIComponent(id)}/read`),
  composer: (id: string) => api<ComposerInfo>('GET', `/conversations/${encodeURIComponent(id)}/composer`),
  canned: (id: string) =>
    api<{ items: CannedResponse[] }>('GET', `/conversations/${encodeURIComponent(id)}/canned-responses`).then(
      itemsOf,
    ),
  cannedList: () => api<{ items: CannedResponse[] }>('GET', '/canned-responses').then(itemsOf),
  createCanned: (body: Omit<CannedResponse, 'id'>) =>
    api<CannedResponse>('POST', '/canned-responses', { body }),
  updateCanned: (id: string, body: Omit<CannedResponse, 'id'>) =>
    api<CannedResponse>('PATCH', `/canned-responses/${encodeURIComponent(id)}`, { body }),
  deleteCanned: (id: string) => api<void>('DELETE', `/canned-responses/${encodeURIComponent(id)}`),
  operators: () => api<InboxOperator[]>('GET', '/inbox/operators'),
  channels: () => api<{ items: ChannelSummary[] }>('GET', '/channels').then(itemsOf),
  pendingTemplates: () =>
    api<{ items: TemplateView[] }>('GET', '/templates', {
      query: { status: 'pending', versions: 'all' },
    }).then(itemsOf),
  approveTemplate: (id: string) => api<TemplateView>('POST', `/templates/${encodeURIComponent(id)}/approve`),
  rejectTemplate: (id: string, reason: string) =>
    api<TemplateView>('POST', `/templates/${encodeURIComponent(id)}/reject`, { body: { reason } }),
};

/** The list of an `{items}` answer (GET /inbox/operators alone answers a bare array). */
function itemsOf<T>(answer: { items: T[] }): T[] {
  return answer.items;
}

export function exportCsvUrl(filter: Pick<ConversationFilter, 'tag' | 'channel'>): string {
  const params = new URLSearchParams();
  if (filter.tag) params.set('tag', filter.tag);
  if (filter.channel) params.set('channel', filter.channel);
  const query = params.toString();
  return `/v1/conversations/export.csv${query ? `?${query}` : ''}`;
}
