/**
 * Reconnect delays after the bind is lost: exponential from 500 ms, doubled per failed attempt,
 * capped at 30 s, with "equal jitter" (half fixed, half random) so many binds that dropped together
 * do not reconnect in lockstep. A refused bind (bad password) waits the full cap: retrying faster
 * cannot fix it and SMSCs lock accounts that hammer them.
 */
export const reconnectPolicy = { initialMs: 500, maxMs: 30_000 } as const;

/** Delay before reconnect attempt `attempt` (0-based); `random` returns [0, 1). */
export function reconnectDelayMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(reconnectPolicy.maxMs, reconnectPolicy.initialMs * 2 ** Math.min(attempt, 16));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
