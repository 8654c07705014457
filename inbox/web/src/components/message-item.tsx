import type { AttachmentView, MessageStatus, MessageView } from '../api/types';
import { BotAuthorChip, BotButtonChips, isBotReply, isHandoffLine } from './bot-markers';
import { clockTime, fileSize, fullTime } from './format';
import { LinkifiedText } from './linkified-text';

const ticks: Record<MessageStatus, { icon: string; label: string }> = {
  received: { icon: '', label: 'Received' },
  queued: { icon: '⏱', label: 'Queued' },
  sending: { icon: '⏱', label: 'Sending' },
  sent: { icon: '✓', label: 'Sent' },
  delivered: { icon: '✓✓', label: 'Delivered' },
  read: { icon: '✓✓', label: 'Read' },
  failed: { icon: '⚠', label: 'Failed' },
  undelivered: { icon: '⚠', label: 'Not delivered' },
  expired: { icon: '⚠', label: 'Expired' },
};

export function DeliveryTick({ message }: { message: MessageView }) {
  const tick = ticks[message.status];
  if (!tick.icon) return null;
  const when = fullTime(
    message.statusTimes.read ??
      message.statusTimes.delivered ??
      message.statusTimes.failed ??
      message.statusTimes.sent ??
      message.createdAt,
  );
  const reason = message.failureReason ? `: ${message.failureReason}` : '';
  return (
    <span
      className={`tick tick-${message.status}`}
      data-testid="message-status"
      data-status={message.status}
      title={`${tick.label}${reason} · ${when}`}
    >
      <span aria-hidden="true">{tick.icon}</span>
      <span className="sr-only">{tick.label}</span>
      {tick.icon === '⚠' && <span className="tick-reason">{`${tick.label}${reason}`}</span>}
    </span>
  );
}

function ReplyContext({ replyTo }: { replyTo: NonNullable<MessageView['replyTo']> }) {
  const name = replyTo.name ?? (replyTo.kind === 'mailing' ? 'a mailing' : 'a notification');
  return (
    <div
      className={`reply-context${replyTo.inferred ? ' reply-inferred' : ''}`}
      data-testid="reply-context"
      data-inferred={replyTo.inferred}
      title={replyTo.inferred ? 'Linked by time: the most recent message sent to this customer' : undefined}
    >
      <div className="reply-label">
        {replyTo.inferred ? 'Probably in reply to ' : 'In reply to '}
        <strong>{name}</strong>:
      </div>
      <div className="reply-text" data-testid="reply-context-text">
        <LinkifiedText text={replyTo.text} />
      </div>
    </div>
  );
}

function Attachment({ file }: { file: AttachmentView }) {
  const label = file.fileName ?? file.kind;
  if (!file.url) return <div className="attachment attachment-missing">{`${label} (not kept)`}</div>;
  const href = `/v1${file.url}`;
  const isImage = (file.mimeType ?? '').startsWith('image/') || file.kind === 'image';
  return (
    <a className="attachment" href={href} target="_blank" rel="noopener noreferrer" data-testid="attachment">
      {isImage ? (
        <img src={href} alt={file.fileName ?? 'Image from the customer'} loading="lazy" />
      ) : (
        <span className="attachment-file">
          <span aria-hidden="true">📎 </span>
          {label}
          {file.size !== null && <span className="muted"> · {fileSize(file.size)}</span>}
        </span>
      )}
    </a>
  );
}

function authorLabel(message: MessageView): string {
  if (message.author.type === 'bot') return 'Bot';
  if (message.author.type === 'operator') return message.author.name ?? 'Operator';
  if (message.author.type === 'contact') return message.author.name ?? 'Customer';
  return 'System';
}

/** One thread entry: customer or operator bubble, notification/mailing card, note, or event line. */
export function MessageItem({ message }: { message: MessageView }) {
  const common = { 'data-testid': 'message', 'data-message-id': message.id, 'data-kind': message.kind };
  if (message.kind === 'event') {
    const handoff = isHandoffLine(message);
    return (
      <li
        className={`event-line${handoff ? ' event-handoff' : ''}`}
        {...common}
        data-direction={message.direction}
        data-handoff={handoff || undefined}
      >
        {handoff && <span className="handed-over-badge">Handed over</span>}
        <span>
          <LinkifiedText text={message.text} />
        </span>
        <time dateTime={message.createdAt}>{clockTime(message.createdAt)}</time>
      </li>
    );
  }
  if (message.kind === 'note') {
    return (
      <li className="note" {...common} data-direction={message.direction}>
        <div className="note-head">
          <span className="note-badge">Internal note</span> {authorLabel(message)} ·{' '}
          <time dateTime={message.createdAt}>{clockTime(message.createdAt)}</time>
        </div>
        <div className="message-text">
          <LinkifiedText text={message.text} />
        </div>
      </li>
    );
  }
  const system = message.kind === 'notification' || message.kind === 'mailing';
  const side = message.direction === 'inbound' ? 'in' : 'out';
  const bot = isBotReply(message);
  return (
    <li
      className={`message message-${side}${system ? ' message-system' : ''}${bot ? ' message-bot' : ''}`}
      {...common}
      data-direction={message.direction}
      data-author={message.author.type}
    >
      {message.replyTo && <ReplyContext replyTo={message.replyTo} />}
      <div className="bubble">
        {system && (
          <div className="system-head">
            <span className="system-badge">{message.kind === 'mailing' ? 'Mailing' : 'Notification'}</span>
            {message.source?.name && <span className="system-name">{message.source.name}</span>}
          </div>
        )}
        {!system && side === 'out' && (
          <div className="author">
            {bot ? <BotAuthorChip flow={message.author.name} /> : authorLabel(message)}
          </div>
        )}
        {message.kind === 'button' && <span className="button-badge">Pressed a button: </span>}
        {message.text && (
          <div className="message-text" data-testid="message-text">
            <LinkifiedText text={message.text} />
          </div>
        )}
        {bot && <BotButtonChips buttons={message.buttons} />}
        {message.attachments.length > 0 && (
          <div className="attachments">
            {message.attachments.map((file, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: a message's attachments never change order.
              <Attachment key={index} file={file} />
            ))}
          </div>
        )}
        <div className="meta">
          <time dateTime={message.createdAt} title={fullTime(message.createdAt)}>
            {clockTime(message.createdAt)}
          </time>
          {message.direction === 'outbound' && <DeliveryTick message={message} />}
        </div>
      </div>
    </li>
  );
}
