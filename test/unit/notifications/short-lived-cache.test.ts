import { ShortLivedCache } from '../../../src/notifications/short-lived-cache';

/** The per-process lookups accepting shares across requests: found answers kept briefly, misses never. */
describe('ShortLivedCache', () => {
  let now = 0;
  const clock = () => now;
  const counter = <T>(answers: T[]) => {
    let calls = 0;
    const load = jest.fn(async () => answers[Math.min(calls++, answers.length - 1)] as T);
    return load;
  };

  beforeEach(() => {
    now = 1_000;
  });

  it('reuses a found answer within the TTL and reads again after it', async () => {
    const lookups = new ShortLivedCache(2000, clock);
    const load = counter(['v1', 'v2']);
    expect(await lookups.get('k', load)).toBe('v1');
    now += 1999;
    expect(await lookups.get('k', load)).toBe('v1');
    now += 1;
    expect(await lookups.get('k', load)).toBe('v2');
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('never keeps a miss (null) or a failure', async () => {
    const lookups = new ShortLivedCache(2000, clock);
    const miss = counter<string | null>([null, 'approved']);
    expect(await lookups.get('t', miss)).toBeNull();
    expect(await lookups.get('t', miss)).toBe('approved');
    const failing = jest.fn().mockRejectedValueOnce(new Error('down')).mockResolvedValue('up');
    await expect(lookups.get('f', failing)).rejects.toThrow('down');
    expect(await lookups.get('f', failing)).toBe('up');
  });

  it('refresh reads now and keeps the new answer', async () => {
    const lookups = new ShortLivedCache(2000, clock);
    const load = counter(['old', 'new']);
    await lookups.get('c', load);
    expect(await lookups.refresh('c', load)).toBe('new');
    expect(await lookups.get('c', load)).toBe('new');
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('with a TTL of 0 reads every time', async () => {
    const lookups = new ShortLivedCache(0, clock);
    const load = counter(['a', 'b']);
    await lookups.get('k', load);
    expect(await lookups.get('k', load)).toBe('b');
  });
});
