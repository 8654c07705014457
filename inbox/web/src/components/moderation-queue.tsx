import { useCallback, useEffect, useRef, useState } from 'react';
import { errorText } from '../api/http';
import { inboxApi } from '../api/inbox-api';
import type { TemplateView } from '../api/types';
import { channelLabel, fullTime } from './format';

/** Pending template versions, approved or rejected (with a reason) by a moderator. */
export function ModerationQueue() {
  const [items, setItems] = useState<TemplateView[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(() => {
    setError(null);
    inboxApi
      .pendingTemplates()
      .then(setItems)
      .catch((failure) => setError(errorText(failure)));
  }, []);
  useEffect(load, [load]);

  return (
    <main className="moderation" data-testid="moderation">
      <div className="moderation-head">
        <h2>Templates waiting for moderation</h2>
        <button type="button" onClick={load}>
          Refresh
        </button>
      </div>
      {error && (
        <div className="form-error" role="alert">
          {error}
        </div>
      )}
      {items === null && !error && <p className="muted">Loading…</p>}
      {items?.length === 0 && <p className="muted">Nothing to moderate.</p>}
      <ul className="moderation-list">
        {items?.map((template) => (
          <ModerationItem
            key={template.id}
            template={template}
            onDone={() => setItems((list) => (list ?? []).filter((item) => item.id !== template.id))}
          />
        ))}
      </ul>
    </main>
  );
}

function ModerationItem({ template, onDone }: { template: TemplateView; onDone(): void }) {
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const reasonInput = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (rejecting) reasonInput.current?.focus();
  }, [rejecting]);

  async function decide(action: () => Promise<unknown>) {
    setBusy(true);
    setError(null);
    try {
      await action();
      onDone();
    } catch (failure) {
      setError(errorText(failure));
      setBusy(false);
    }
  }

  return (
    <li className="moderation-item" data-testid="moderation-item">
      <div className="moderation-meta">
        <strong>{template.name}</strong> <span className="muted">v{template.version}</span> ·{' '}
        <span className="muted">{template.category}</span> ·{' '}
        <span className="muted">{template.channels.map(channelLabel).join(', ') || 'any channel'}</span> ·{' '}
        <span className="muted">{fullTime(template.updatedAt)}</span>
      </div>
      <div className="template-body">{template.body}</div>
      {template.advertisingTail && (
        <div className="template-tail">
          <span className="muted">Advertising tail: </span>
          {template.advertisingTail}
        </div>
      )}
      {error && (
        <div className="form-error" role="alert">
          {error}
        </div>
      )}
      {rejecting ? (
        <form
          className="reject-form"
          onSubmit={(event) => {
            event.preventDefault();
            if (reason.trim()) void decide(() => inboxApi.rejectTemplate(template.id, reason.trim()));
          }}
        >
          <label>
            Reason (the author sees it)
            <input
              value={reason}
              maxLength={500}
              required
              ref={reasonInput}
              onChange={(event) => setReason(event.target.value)}
            />
          </label>
          <button type="submit" className="danger" disabled={busy || !reason.trim()}>
            Reject
          </button>
          <button type="button" onClick={() => setRejecting(false)} disabled={busy}>
            Cancel
          </button>
        </form>
      ) : (
        <div className="moderation-actions">
          <button
            type="button"
            className="primary"
            disabled={busy}
            onClick={() => void decide(() => inboxApi.approveTemplate(template.id))}
          >
            Approve
          </button>
          <button type="button" disabled={busy} onClick={() => setRejecting(true)}>
            Reject…
          </button>
        </div>
      )}
    </li>
  );
}
