import { parseTtlSeconds, routeSchema, routeStepSchema } from '../../../src/limits/route-step';

describe('route step ttl', () => {
  it.each([
    [15, 15],
    ['15s', 15],
    ['90', 90],
    ['5m', 300],
    ['1h', 3600],
    ['24h', 86400],
    [' 2H ', 7200],
  ])('reads %p as %p seconds', (ttl, seconds) => {
    expect(routeStepSchema.parse({ channel: 'vk-notify', ttl })).toEqual({
      channel: 'vk-notify',
      ttlSeconds: seconds,
    });
  });

  it.each([14, '14s', 86401, '25h', '1441m'])('refuses %p as out of range', (ttl) => {
    const result = routeStepSchema.safeParse({ channel: 'sms', ttl });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/15 to 86400/);
  });

  it.each([1.5, '1.5h', '1d', 'soon', '', '-20s', Number.NaN])('refuses %p as not a duration', (ttl) => {
    const result = routeStepSchema.safeParse({ channel: 'sms', ttl });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/whole seconds|duration/);
  });

  it('parses durations without judging the range', () => {
    expect(parseTtlSeconds('48h')).toBe(172800);
    expect(parseTtlSeconds(3.2)).toBeNull();
  });

  it('needs a plausible channel and no other fields', () => {
    expect(routeStepSchema.safeParse({ channel: '', ttl: 60 }).success).toBe(false);
    expect(routeStepSchema.safeParse({ channel: 'a b', ttl: 60 }).success).toBe(false);
    expect(routeStepSchema.safeParse({ channel: 'sms', ttl: 60, extra: 1 }).success).toBe(false);
  });

  it('bounds a route to 1..10 steps', () => {
    const step = { channel: 'sms', ttl: '1h' };
    expect(routeSchema.safeParse([]).success).toBe(false);
    expect(routeSchema.safeParse(Array(10).fill(step)).success).toBe(true);
    expect(routeSchema.safeParse(Array(11).fill(step)).success).toBe(false);
  });
});
