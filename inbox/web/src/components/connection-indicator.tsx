import type { ConnectionState } from '../realtime/inbox-socket';

const labels: Record<ConnectionState, string> = {
  connecting: 'Connecting…',
  connected: 'Live',
  reconnecting: 'Reconnecting…',
  offline: 'Offline',
};

/** Always visible: whether what the operator sees is live. */
export function ConnectionIndicator({ state }: { state: ConnectionState }) {
  return (
    <span
      className={`connection connection-${state}`}
      role="status"
      data-testid="connection"
      data-state={state}
    >
      <span className="dot" aria-hidden="true" />
      {labels[state]}
    </span>
  );
}
