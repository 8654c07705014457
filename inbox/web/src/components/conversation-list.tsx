import { useEffect, useState } from 'react';
import { type ConversationFilter, exportCsvUrl } from '../api/inbox-api';
import type { ChannelSummary, ConversationView, InboxOperator } from '../api/types';
import { BotBadge, HandedOverBadge } from './bot-markers';
import { channelLabel, contactName, initials, shortTime } from './format';

interface ConversationListProps {
  filter: ConversationFilter;
  onFilter(filter: ConversationFilter): void;
  conversations: ConversationView[];
  loading: boolean;
  hasMore: boolean;
  onMore(): void;
  selectedId: string | null;
  onSelect(id: string): void;
  channels: ChannelSummary[];
  operators: InboxOperator[];
  me: string;
  /** Conversations a bot handed over (learnt live or from their thread). */
  handedOver: ReadonlySet<string>;
}

const statuses: Array<{ value: ConversationFilter['status']; label: string }> = [
  { value: 'open', label: 'Open' },
  { value: 'pending', label: 'Bot' },
  { value: 'resolved', label: 'Resolved' },
];

function preview(conversation: ConversationView): string {
  const { lastMessage } = conversation;
  const prefix =
    lastMessage.kind === 'note'
      ? 'Note: '
      : lastMessage.direction === 'outbound'
        ? lastMessage.kind === 'notification' || lastMessage.kind === 'mailing'
          ? '📣 '
          : conversation.state === 'bot'
            ? 'Bot: '
            : 'You: '
        : '';
  return `${prefix}${lastMessage.text}`;
}

/** Filters, search and the conversations, newest activity first. */
export function ConversationList(props: ConversationListProps) {
  const { filter, onFilter } = props;
  const [search, setSearch] = useState(filter.q);
  const [tag, setTag] = useState(filter.tag);

  useEffect(() => {
    if (search === filter.q) return;
    const timer = setTimeout(() => onFilter({ ...filter, q: search }), 300);
    return () => clearTimeout(timer);
  }, [search, filter, onFilter]);

  return (
    <nav className="conversation-pane" aria-label="Conversations">
      <div className="filters">
        <div className="status-tabs" role="tablist" aria-label="Status">
          {statuses.map((status) => (
            <button
              key={status.value}
              type="button"
              role="tab"
              aria-selected={filter.status === status.value}
              className={filter.status === status.value ? 'active' : ''}
              data-testid={`status-${status.value}`}
              onClick={() => onFilter({ ...filter, status: status.value })}
            >
              {status.label}
            </button>
          ))}
        </div>
        <input
          type="search"
          className="search"
          placeholder="Search name, phone or text"
          aria-label="Search conversations"
          data-testid="search"
          maxLength={200}
          value={search}
          onChange={(event) => setSearch(event.target.value)}
        />
        <div className="filter-row">
          <select
            aria-label="Assignee"
            data-testid="filter-assignee"
            value={filter.assignee}
            onChange={(event) => onFilter({ ...filter, assignee: event.target.value })}
          >
            <option value="all">Everyone</option>
            <option value="me">Mine</option>
            <option value="unassigned">Unassigned</option>
            {props.operators
              .filter((op) => op.id !== props.me)
              .map((op) => (
                <option key={op.id} value={op.id}>
                  {op.name}
                </option>
              ))}
          </select>
          <select
            aria-label="Channel"
            data-testid="filter-channel"
            value={filter.channel}
            onChange={(event) => onFilter({ ...filter, channel: event.target.value })}
          >
            <option value="">All channels</option>
            {props.channels.map((channel) => (
              <option key={channel.id} value={channel.id}>
                {channel.name || channelLabel(channel.type)}
              </option>
            ))}
          </select>
          <input
            className="tag-filter"
            placeholder="Tag"
            aria-label="Filter by tag"
            data-testid="filter-tag"
            maxLength={40}
            value={tag}
            onChange={(event) => setTag(event.target.value)}
            onBlur={() =>
              tag.trim().toLowerCase() !== filter.tag &&
              onFilter({ ...filter, tag: tag.trim().toLowerCase() })
            }
            onKeyDown={(event) => {
              if (event.key === 'Enter') onFilter({ ...filter, tag: tag.trim().toLowerCase() });
            }}
          />
          <a
            className="export"
            href={exportCsvUrl(filter)}
            download
            title="Export these conversations as CSV"
          >
            CSV
          </a>
        </div>
      </div>
      <ul className="conversation-list" data-testid="conversation-list">
        {props.conversations.map((conversation) => {
          const name = contactName(conversation);
          const selected = conversation.id === props.selectedId;
          return (
            <li key={conversation.id}>
              <button
                type="button"
                className={`conversation${selected ? ' selected' : ''}${conversation.unreadCount ? ' unread' : ''}`}
                aria-current={selected ? 'true' : undefined}
                data-testid="conversation-item"
                data-conversation-id={conversation.id}
                onClick={() => props.onSelect(conversation.id)}
              >
                <span className={`avatar channel-${conversation.channel.type}`} aria-hidden="true">
                  {initials(name)}
                </span>
                <span className="conversation-body">
                  <span className="conversation-top">
                    <span className="conversation-name">{name}</span>
                    <time dateTime={conversation.lastMessageAt}>{shortTime(conversation.lastMessageAt)}</time>
                  </span>
                  <span className="conversation-bottom">
                    <span className="conversation-preview">{preview(conversation)}</span>
                    {conversation.unreadCount > 0 && (
                      <span className="unread-badge" data-testid="unread-badge">
                        {conversation.unreadCount}
                        <span className="sr-only"> unread</span>
                      </span>
                    )}
                  </span>
                  <span className="conversation-tags">
                    <span className={`channel-badge channel-${conversation.channel.type}`}>
                      {channelLabel(conversation.channel.type)}
                    </span>
                    {conversation.assigneeId === props.me && <span className="mine-badge">mine</span>}
                    {conversation.state === 'queued' && <span className="queued-badge">waiting</span>}
                    <BotBadge conversation={conversation} />
                    <HandedOverBadge
                      shown={
                        (conversation.state === 'queued' || conversation.state === 'human') &&
                        (Boolean(conversation.handoff) || props.handedOver.has(conversation.id))
                      }
                    />
                    {conversation.tags.slice(0, 3).map((item) => (
                      <span className="tag small" key={item}>
                        {item}
                      </span>
                    ))}
                  </span>
                </span>
              </button>
            </li>
          );
        })}
        {!props.loading && props.conversations.length === 0 && (
          <li className="empty muted">No conversations here.</li>
        )}
        {props.loading && <li className="empty muted">Loading…</li>}
        {props.hasMore && !props.loading && (
          <li>
            <button type="button" className="load-more" onClick={props.onMore}>
              Load more
            </button>
          </li>
        )}
      </ul>
    </nav>
  );
}
