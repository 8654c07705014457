/**
 * The Lua script behind `TokenBucket.take`, run atomically by Redis.
 *
 * Each bucket is stored as ONE integer: the Redis server time (µs) at which it will be full again
 * ("full-at"). That is the token bucket in its GCRA form: with `interval = 1e6 / rate`, the bucket
 * holds `burst - (fullAt - now) / interval` tokens (capped at `burst`), and taking `cost` tokens
 * moves full-at to `max(fullAt, now) + cost * interval`. A missing key is a full bucket, so a key
 * may expire as soon as it is full; it is given `PX` = time to full + `EXPIRY_MARGIN_MS`.
 *
 * KEYS: the bucket keys. ARGV[1]: cost. ARGV[2i], ARGV[2i + 1]: rate per second and burst of KEYS[i].
 * Reply: `{1, 0}` when every bucket was charged, `{0, waitMicros}` when none was: `waitMicros` is
 * how long until the slowest bucket holds `cost` tokens.
 *
 * Server time (`TIME`) is used so every process agrees; writing after `TIME` relies on effect
 * replication, the default since Redis 5 (BullMQ needs Redis 6.2+ anyway).
 */
export const EXPIRY_MARGIN_MS = 1000;

export const TAKE_TOKENS_LUA = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
local cost = tonumber(ARGV[1])
local fullAt = {}
local wait = 0
for i = 1, #KEYS do
  local interval = 1000000 / tonumber(ARGV[2 * i])
  local burst = tonumber(ARGV[2 * i + 1])
  local stored = tonumber(redis.call('GET', KEYS[i]) or '0') or 0
  local next = math.max(stored, now) + cost * interval
  local needed = next - burst * interval - now
  if needed > wait then wait = needed end
  fullAt[i] = next
end
if wait > 0 then return {0, math.ceil(wait)} end
for i = 1, #KEYS do
  local ttl = math.ceil((fullAt[i] - now) / 1000) + ${EXPIRY_MARGIN_MS}
  redis.call('SET', KEYS[i], string.format('%.0f', math.ceil(fullAt[i])), 'PX', string.format('%.0f', ttl))
end
return {1, 0}
`;
