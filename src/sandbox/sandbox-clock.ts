/** The sandbox's time: real time plus an offset the control API can move forward (24 h windows, TTLs). */
export interface SandboxClock {
  now(): Date;
  nowMs(): number;
  advance(ms: number): void;
}

export function createSandboxClock(): SandboxClock {
  let offsetMs = 0;
  return {
    now: () => new Date(Date.now() + offsetMs),
    nowMs: () => Date.now() + offsetMs,
    advance: (ms) => {
      offsetMs += ms;
    },
  };
}
