import { createRateGate } from '../../../src/rate-limits/rate-gate';

/** The rate gate over a bucket that never grants (no Redis needed). */
describe('rate gate', () => {
  it('sleeps through a wait longer than a Node timer can hold instead of asking again at once', async () => {
    let takes = 0;
    const bucket = {
      take: async () => {
        takes += 1;
        return { granted: false as const, retryAfterMs: 1e10 };
      },
    };
    const gate = createRateGate({ bucket });
    const limit = { key: 'k', ratePerSecond: 1e-7, burst: 1 };
    await expect(gate.acquire([limit], { signal: AbortSignal.timeout(100) })).rejects.toMatchObject({
      name: 'TimeoutError',
    });
    expect(takes).toBe(1);
  });
});
