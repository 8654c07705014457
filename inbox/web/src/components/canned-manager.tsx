import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { errorText } from '../api/http';
import { inboxApi } from '../api/inbox-api';
import type { CannedResponse } from '../api/types';

type Draft = Omit<CannedResponse, 'id'>;
const empty: Draft = { shortcut: '', title: '', text: '' };

/** The workspace's canned responses: typed after `/` in the composer, with {{placeholders}}. */
export function CannedManager() {
  const [items, setItems] = useState<CannedResponse[] | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const [draft, setDraft] = useState<Draft>(empty);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(() => {
    inboxApi
      .cannedList()
      .then(setItems)
      .catch((failure) => setError(errorText(failure)));
  }, []);
  useEffect(load, [load]);

  function edit(item: CannedResponse | null) {
    setEditing(item?.id ?? null);
    setDraft(item ? { shortcut: item.shortcut, title: item.title, text: item.text } : empty);
    setError(null);
  }

  async function run(action: () => Promise<unknown>) {
    setBusy(true);
    setError(null);
    try {
      await action();
      edit(null);
      load();
    } catch (failure) {
      setError(errorText(failure));
    } finally {
      setBusy(false);
    }
  }

  function save(event: FormEvent) {
    event.preventDefault();
    const body = { shortcut: draft.shortcut.trim(), title: draft.title.trim(), text: draft.text.trim() };
    void run(() => (editing ? inboxApi.updateCanned(editing, body) : inboxApi.createCanned(body)));
  }

  return (
    <main className="moderation" data-testid="canned-manager">
      <h2>Canned responses</h2>
      <p className="muted">
        Type <code>/shortcut</code> in the composer to insert one. Placeholders:{' '}
        <code>{'{{contact.name}}'}</code>, <code>{'{{contact.phone}}'}</code>,{' '}
        <code>{'{{operator.name}}'}</code>.
      </p>
      <form className="moderation-item canned-form" onSubmit={save}>
        <div className="canned-form-row">
          <label>
            Shortcut
            <input
              required
              pattern="[A-Za-z0-9_\-]{1,32}"
              maxLength={32}
              value={draft.shortcut}
              onChange={(event) => setDraft({ ...draft, shortcut: event.target.value })}
            />
          </label>
          <label>
            Title
            <input
              required
              maxLength={100}
              value={draft.title}
              onChange={(event) => setDraft({ ...draft, title: event.target.value })}
            />
          </label>
        </div>
        <label>
          Text
          <textarea
            required
            rows={3}
            maxLength={4096}
            value={draft.text}
            onChange={(event) => setDraft({ ...draft, text: event.target.value })}
          />
        </label>
        {error && (
          <div className="form-error" role="alert">
            {error}
          </div>
        )}
        <div className="moderation-actions">
          <button type="submit" className="primary" disabled={busy}>
            {editing ? 'Save' : 'Add'}
          </button>
          {editing && (
            <button type="button" onClick={() => edit(null)} disabled={busy}>
              Cancel
            </button>
          )}
        </div>
      </form>
      {items === null && !error && <p className="muted">Loading…</p>}
      {items?.length === 0 && <p className="muted">No canned responses yet.</p>}
      <ul className="moderation-list">
        {items?.map((item) => (
          <li key={item.id} className="moderation-item">
            <div className="moderation-meta">
              <span className="canned-shortcut">/{item.shortcut}</span> <strong>{item.title}</strong>
            </div>
            <div className="template-body">{item.text}</div>
            <div className="moderation-actions">
              <button type="button" onClick={() => edit(item)} disabled={busy}>
                Edit
              </button>
              <button
                type="button"
                disabled={busy}
                onClick={() => {
                  if (window.confirm(`Delete /${item.shortcut}?`))
                    void run(() => inboxApi.deleteCanned(item.id));
                }}
              >
                Delete
              </button>
            </div>
          </li>
        ))}
      </ul>
    </main>
  );
}
