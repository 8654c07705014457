import { z } from 'zod';

/** Shortest TTL of one delivery attempt (platforms accept 15 s .. 24 h). */
const minStepTtlSeconds = 15;
/** Longest TTL of one delivery attempt. */
const maxStepTtlSeconds = 24 * 60 * 60;
/** Most steps in one delivery route (a chain of channels tried in order). */
const maxRouteSteps = 10;

const unitSeconds: Record<string, number> = { s: 1, m: 60, h: 3600 };
const durationPattern = /^(\d{1,6})\s*([smh])$/;
const ttlFormMessage = 'ttl must be whole seconds (e.g. 3600) or a duration such as "15s", "5m", "1h", "24h"';
const ttlRangeMessage = `ttl must be whole seconds from ${minStepTtlSeconds} to ${maxStepTtlSeconds} (15s..24h)`;

/**
 * Parses a TTL given as whole seconds (`90`, `"90"`) or a duration (`"15s"`, `"5m"`, `"1h"`,
 * `"24h"`). Returns the seconds, or null when the text is not one of these forms. The range is
 * not checked here.
 */
export function parseTtlSeconds(value: number | string): number | null {
  if (typeof value === 'number') return Number.isInteger(value) ? value : null;
  const text = value.trim().toLowerCase();
  if (/^\d{1,6}$/.test(text)) return Number(text);
  const match = durationPattern.exec(text);
  if (!match?.[1] || !match[2]) return null;
  return Number(match[1]) * (unitSeconds[match[2]] ?? 0);
}

/** A TTL in seconds or as a duration, normalized to integer seconds within 15 s..24 h. */
const ttlSchema = z
  .union([z.number(), z.string().max(16)], { error: ttlFormMessage })
  .transform((value, ctx) => {
    const seconds = parseTtlSeconds(value);
    if (seconds === null) {
      ctx.addIssue({ code: 'custom', message: ttlFormMessage });
      return z.NEVER;
    }
    if (seconds < minStepTtlSeconds || seconds > maxStepTtlSeconds) {
      ctx.addIssue({ code: 'custom', message: ttlRangeMessage });
      return z.NEVER;
    }
    return seconds;
  })
  .meta({ description: 'Seconds (integer) or a duration: "15s", "5m", "1h", "24h"; 15 s..24 h' });

/** The channel of a step: a channel id of the workspace, or a channel type (`vk-notify`, `sms`…). */
const stepChannelSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'channel must be a channel id or a channel type')
  .meta({ description: 'A channel id of this workspace, or a channel type such as vk-notify or sms' });

/**
 * One step of a delivery route: which channel to try and how long the attempt may wait for
 * delivery before the next step. Input `{ channel, ttl }`, output `{ channel, ttlSeconds }`.
 * Promised: `ttlSeconds` is an integer within 15..86400. Not promised: that the channel exists or
 * belongs to the workspace (callers resolve it against their channels).
 */
export const routeStepSchema = z
  .object({ channel: stepChannelSchema, ttl: ttlSchema })
  .strict()
  .transform(({ channel, ttl }) => ({ channel, ttlSeconds: ttl }));

export type RouteStep = z.output<typeof routeStepSchema>;

/** Route steps: at most 10; empty allowed (a workspace's default route may be). */
export const routeStepsSchema = z
  .array(routeStepSchema)
  .max(maxRouteSteps, `a route has at most ${maxRouteSteps} steps`);

/** A whole route: 1..10 steps. */
export const routeSchema = routeStepsSchema.min(1);
