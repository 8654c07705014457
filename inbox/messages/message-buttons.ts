import type { Button } from '../../adapters/contract';

/** A button as an outbound message stores it (`payload` for choice buttons, `url` for links). */
export interface StoredButton {
  kind: 'reply' | 'callback' | 'link';
  label: string;
  payload: string | null;
  url: string | null;
}

/** Buttons as the message stores them. */
export function storedButtons(buttons: readonly Button[]): StoredButton[] {
  return buttons.map((button) =>
    button.kind === 'link'
      ? { kind: 'link', label: button.label, payload: null, url: button.url }
      : { kind: button.kind, label: button.label, payload: button.payload, url: null },
  );
}

/** Stored buttons as the channel adapter sends them. */
export function contractButtons(
  stored: readonly { kind: string; label: string; payload?: string | null; url?: string | null }[],
): Button[] {
  return stored.map((button) =>
    button.kind === 'link'
      ? { kind: 'link', label: button.label, url: button.url ?? '' }
      : { kind: button.kind as 'reply' | 'callback', label: button.label, payload: button.payload ?? '' },
  );
}
