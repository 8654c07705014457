import { useState } from 'react';
import { errorText } from '../api/http';
import { inboxApi } from '../api/inbox-api';
import type { ConversationView, InboxOperator } from '../api/types';
import { BotBadge } from './bot-markers';
import { channelLabel, contactName } from './format';

interface ThreadHeaderProps {
  conversation: ConversationView;
  operators: InboxOperator[];
  me: string;
  onBack(): void;
  onChanged(conversation: ConversationView): void;
}

const MAX_TAGS = 20;

/** Who the customer is, and the conversation's controls: assign, resolve/reopen, tags. */
export function ThreadHeader({ conversation, operators, me, onBack, onChanged }: ThreadHeaderProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [tagDraft, setTagDraft] = useState('');

  async function run(action: () => Promise<ConversationView>) {
    setBusy(true);
    setError(null);
    try {
      onChanged(await action());
    } catch (failure) {
      setError(errorText(failure));
    } finally {
      setBusy(false);
    }
  }

  function addTag() {
    const tag = tagDraft.trim().toLowerCase();
    if (!tag) return;
    if (!conversation.tags.includes(tag) && conversation.tags.length >= MAX_TAGS) {
      setError(`A conversation has at most ${MAX_TAGS} tags.`);
      return;
    }
    setTagDraft('');
    if (conversation.tags.includes(tag)) return;
    void run(() => inboxApi.setTags(conversation.id, [...conversation.tags, tag]));
  }

  const resolved = conversation.status === 'resolved';
  const assignee = conversation.assigneeId;
  const knownAssignee = assignee === null || operators.some((op) => op.id === assignee);
  return (
    <header className="thread-header">
      <div className="thread-title">
        <button type="button" className="back" onClick={onBack} aria-label="Back to the conversation list">
          ←
        </button>
        <div>
          <h2 data-testid="thread-contact">{contactName(conversation)}</h2>
          <div className="muted small">
            <span className={`channel-badge channel-${conversation.channel.type}`}>
              {channelLabel(conversation.channel.type)}
            </span>
            {conversation.contact.phone && <span> · {conversation.contact.phone}</span>}
            <span> · {stateLabel(conversation.state)}</span> <BotBadge conversation={conversation} />
          </div>
        </div>
      </div>
      <div className="thread-actions">
        <label className="assign">
          <span className="sr-only">Assignee</span>
          <select
            value={assignee ?? ''}
            disabled={busy}
            data-testid="assign-select"
            onChange={(event) => {
              const operatorId = event.target.value || null;
              void run(() => inboxApi.assign(conversation.id, operatorId));
            }}
          >
            <option value="">Unassigned</option>
            {!knownAssignee && assignee && <option value={assignee}>Another operator</option>}
            {operators.map((op) => (
              <option key={op.id} value={op.id}>
                {`${op.online ? '●' : '○'} ${op.id === me ? `${op.name} (me)` : op.name} · ${op.load}/${op.maxConversations}`}
              </option>
            ))}
          </select>
        </label>
        {assignee !== me && !resolved && (
          <button
            type="button"
            disabled={busy}
            onClick={() => void run(() => inboxApi.assign(conversation.id, me))}
          >
            Take
          </button>
        )}
        {resolved ? (
          <button
            type="button"
            disabled={busy}
            data-testid="reopen"
            onClick={() => void run(() => inboxApi.reopen(conversation.id))}
          >
            Reopen
          </button>
        ) : (
          <button
            type="button"
            className="primary"
            disabled={busy}
            data-testid="resolve"
            onClick={() => void run(() => inboxApi.resolve(conversation.id))}
          >
            Resolve
          </button>
        )}
      </div>
      <div className="tags" data-testid="tags">
        {conversation.tags.map((tag) => (
          <span className="tag" key={tag}>
            {tag}
            <button
              type="button"
              aria-label={`Remove tag ${tag}`}
              disabled={busy}
              onClick={() =>
                void run(() =>
                  inboxApi.setTags(
                    conversation.id,
                    conversation.tags.filter((item) => item !== tag),
                  ),
                )
              }
            >
              ×
            </button>
          </span>
        ))}
        <input
          className="tag-input"
          value={tagDraft}
          placeholder="+ tag"
          aria-label="Add a tag"
          data-testid="tag-input"
          maxLength={40}
          disabled={busy}
          onChange={(event) => setTagDraft(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter') {
              event.preventDefault();
              addTag();
            }
          }}
        />
      </div>
      {error && (
        <div className="form-error" role="alert">
          {error}
        </div>
      )}
    </header>
  );
}

function stateLabel(state: ConversationView['state']): string {
  return {
    bot: 'with the bot',
    queued: 'waiting for an operator',
    human: 'with an operator',
    closed: 'resolved',
  }[state];
}
