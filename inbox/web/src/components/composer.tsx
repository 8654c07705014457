import { type KeyboardEvent, useEffect, useId, useMemo, useRef, useState } from 'react';
import { errorText } from '../api/http';
import { inboxApi } from '../api/inbox-api';
import type {
  CannedResponse,
  ComposerInfo,
  ComposerTemplate,
  ConversationView,
  MessageView,
} from '../api/types';
import { fullTime, utf8Bytes } from './format';

interface ComposerProps {
  conversation: ConversationView;
  onSent(message: MessageView): void;
  onTyping(): void;
}

type Mode = 'reply' | 'note';

const TYPING_EVERY_MS = 2_500;

function fillTemplate(template: ComposerTemplate, params: Record<string, string>): string {
  return template.placeholders.reduce(
    (text, name) => text.split(`#${name}#`).join(params[name] || `#${name}#`),
    template.text,
  );
}

/** The reply box: limits of the channel, canned responses on `/`, notes, templates when free text is closed. */
export function Composer({ conversation, onSent, onTyping }: ComposerProps) {
  const [info, setInfo] = useState<ComposerInfo | null>(null);
  const [infoError, setInfoError] = useState<string | null>(null);
  const [mode, setMode] = useState<Mode>('reply');
  const [text, setText] = useState('');
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [canned, setCanned] = useState<CannedResponse[] | null>(null);
  const [pickerIndex, setPickerIndex] = useState(0);
  const [templateId, setTemplateId] = useState('');
  const [params, setParams] = useState<Record<string, string>>({});
  const lastTyping = useRef(0);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const pickerId = useId();

  const { id, lastInboundAt } = conversation;
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new inbound message may reopen a messaging window, so lastInboundAt asks again.
  useEffect(() => {
    let live = true;
    setInfoError(null);
    inboxApi
      .composer(id)
      .then((answer) => live && setInfo(answer))
      .catch((failure) => live && setInfoError(errorText(failure)));
    return () => {
      live = false;
    };
  }, [id, lastInboundAt]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: another conversation starts with an empty composer.
  useEffect(() => {
    setText('');
    setError(null);
    setCanned(null);
    setTemplateId('');
    setParams({});
    setMode('reply');
  }, [id]);

  const pickerQuery = mode === 'reply' && text.startsWith('/') && !text.includes('\n') ? text.slice(1) : null;
  useEffect(() => {
    if (pickerQuery === null || canned !== null) return;
    let live = true;
    inboxApi
      .canned(id)
      .then((items) => live && setCanned(items))
      .catch(() => live && setCanned([]));
    return () => {
      live = false;
    };
  }, [pickerQuery, canned, id]);

  const matches = useMemo(() => {
    if (pickerQuery === null || !canned) return [];
    const q = pickerQuery.toLowerCase();
    return canned
      .filter((item) => item.shortcut.toLowerCase().includes(q) || item.title.toLowerCase().includes(q))
      .slice(0, 8);
  }, [pickerQuery, canned]);

  const freeText = mode === 'note' || !info || info.freeTextAllowed;
  const limit = mode === 'reply' ? (info?.maxTextLength ?? null) : 10_000;
  const byteLimit = mode === 'reply' ? (info?.maxTextBytes ?? null) : null;
  const bytes = byteLimit ? utf8Bytes(text) : 0;
  const over = (limit !== null && text.length > limit) || (byteLimit !== null && bytes > byteLimit);
  const template = info?.templates.find((item) => item.id === templateId) ?? null;
  const missingParams = template ? template.placeholders.filter((name) => !params[name]?.trim()) : [];
  const canSend = freeText
    ? text.trim().length > 0 && !over && !sending && (mode === 'note' || info !== null)
    : template !== null && missingParams.length === 0 && !sending;

  function choose(item: CannedResponse) {
    setText(item.text);
    setPickerIndex(0);
    textarea.current?.focus();
  }

  async function send() {
    if (!canSend) return;
    setSending(true);
    setError(null);
    try {
      const message =
        mode === 'note'
          ? await inboxApi.note(id, text.trim())
          : freeText
            ? await inboxApi.reply(id, { text: text.trim() })
            : await inboxApi.reply(id, { templateId, params });
      onSent(message);
      setText('');
      setTemplateId('');
      setParams({});
    } catch (failure) {
      setError(errorText(failure));
    } finally {
      setSending(false);
      textarea.current?.focus();
    }
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (matches.length > 0) {
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        const step = event.key === 'ArrowDown' ? 1 : -1;
        setPickerIndex((index) => (index + step + matches.length) % matches.length);
        return;
      }
      if (event.key === 'Enter' || event.key === 'Tab') {
        event.preventDefault();
        const item = matches[Math.min(pickerIndex, matches.length - 1)];
        if (item) choose(item);
        return;
      }
      if (event.key === 'Escape') {
        event.preventDefault();
        setText(text.slice(1));
        return;
      }
    }
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void send();
    }
  }

  function onChange(value: string) {
    setText(value);
    setPickerIndex(0);
    const now = Date.now();
    if (mode === 'reply' && value && now - lastTyping.current > TYPING_EVERY_MS) {
      lastTyping.current = now;
      onTyping();
    }
  }

  return (
    <form
      className={`composer composer-${mode}`}
      data-testid="composer"
      onSubmit={(event) => {
        event.preventDefault();
        void send();
      }}
    >
      <div className="composer-tabs" role="tablist" aria-label="Message type">
        <button
          type="button"
          role="tab"
          aria-selected={mode === 'reply'}
          className={mode === 'reply' ? 'active' : ''}
          onClick={() => setMode('reply')}
        >
          Reply
        </button>
        <button
          type="button"
          role="tab"
          aria-selected={mode === 'note'}
          className={mode === 'note' ? 'active' : ''}
          data-testid="composer-note-tab"
          onClick={() => setMode('note')}
        >
          Internal note
        </button>
        {info?.windowClosesAt && mode === 'reply' && info.freeTextAllowed && (
          <span className="muted window-hint">Free text until {fullTime(info.windowClosesAt)}</span>
        )}
      </div>
      {infoError && mode === 'reply' && <div className="form-error">{infoError}</div>}
      {!freeText && info ? (
        <div className="template-picker" data-testid="template-picker">
          <p className="muted">
            {info.reason ?? 'Free text is not allowed on this channel now.'} Send an approved template
            instead.
          </p>
          {info.templates.length === 0 ? (
            <p className="form-error">No approved template can be sent on this channel.</p>
          ) : (
            <label>
              Template
              <select
                value={templateId}
                onChange={(event) => {
                  setTemplateId(event.target.value);
                  setParams({});
                }}
                data-testid="template-select"
              >
                <option value="">Choose a template…</option>
                {info.templates.map((item) => (
                  <option key={item.id} value={item.id}>
                    {item.name}
                  </option>
                ))}
              </select>
            </label>
          )}
          {template && (
            <>
              {template.placeholders.map((name) => (
                <label key={name}>
                  {name}
                  <input
                    value={params[name] ?? ''}
                    onChange={(event) => setParams({ ...params, [name]: event.target.value })}
                  />
                </label>
              ))}
              <div className="template-preview">{fillTemplate(template, params)}</div>
            </>
          )}
        </div>
      ) : (
        <div className="composer-input">
          {matches.length > 0 && (
            <div
              className="canned-picker"
              role="listbox"
              id={pickerId}
              aria-label="Canned responses"
              data-testid="canned-picker"
            >
              {matches.map((item, index) => (
                <div
                  key={item.id}
                  id={`${pickerId}-${index}`}
                  role="option"
                  tabIndex={-1}
                  aria-selected={index === pickerIndex}
                  className={`canned-option${index === pickerIndex ? ' active' : ''}`}
                  onMouseDown={(event) => {
                    event.preventDefault();
                    choose(item);
                  }}
                >
                  <span className="canned-shortcut">/{item.shortcut}</span>
                  <span className="canned-title">{item.title}</span>
                  <span className="canned-text">{item.text}</span>
                </div>
              ))}
            </div>
          )}
          {pickerQuery !== null && canned !== null && matches.length === 0 && (
            <div className="canned-empty muted">No canned response matches “/{pickerQuery}”.</div>
          )}
          <textarea
            ref={textarea}
            value={text}
            rows={3}
            data-testid="composer-input"
            aria-controls={matches.length > 0 ? pickerId : undefined}
            aria-activedescendant={matches.length > 0 ? `${pickerId}-${pickerIndex}` : undefined}
            aria-label={mode === 'note' ? 'Internal note, seen only by operators' : 'Reply to the customer'}
            placeholder={
              mode === 'note'
                ? 'Note for colleagues — never sent to the customer'
                : 'Type a reply… (/ for canned responses, Enter to send, Shift+Enter for a new line)'
            }
            onChange={(event) => onChange(event.target.value)}
            onKeyDown={onKeyDown}
          />
        </div>
      )}
      {error && (
        <div className="form-error" role="alert" data-testid="composer-error">
          {error}
        </div>
      )}
      <div className="composer-footer">
        {freeText && limit !== null && (
          <span className={`counter${over ? ' over' : ''}`} data-testid="composer-counter" aria-live="polite">
            {text.length} / {limit}
            {byteLimit !== null && ` · ${bytes} / ${byteLimit} bytes`}
          </span>
        )}
        <button type="submit" className="primary" disabled={!canSend} data-testid="composer-send">
          {sending ? 'Sending…' : mode === 'note' ? 'Add note' : 'Send'}
        </button>
      </div>
    </form>
  );
}
