import { lookup as dnsLookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';

/** Options shared by both checks. */
export interface SsrfGuardOptions {
  /**
   * Allow loopback, RFC 1918, CGNAT, link-local and unique-local targets (self-hosted setups,
   * tests) and plain `http`. Metadata, unspecified, multicast, broadcast and reserved addresses
   * stay refused even then.
   */
  allowPrivate: boolean;
}

/** Why a URL or address was refused. */
export type SsrfRefusalReason =
  | 'invalid-url'
  | 'scheme'
  | 'credentials'
  | 'forbidden-host'
  | 'forbidden-address'
  | 'dns-failed';

/** A refusal, with a sentence fit for the business registering the endpoint. */
export interface SsrfRefusal {
  ok: false;
  reason: SsrfRefusalReason;
  detail: string;
}

export type SsrfCheck<T> = { ok: true; value: T } | SsrfRefusal;

/** One address as `dns.lookup(host, { all: true })` returns it. */
export interface ResolvedAddress {
  address: string;
  family: number;
}

/** `dns/promises.lookup` with `{ all: true }`; injectable for tests. */
export type LookupAll = (hostname: string, options: { all: true }) => Promise<ResolvedAddress[]>;

/** Cloud instance-metadata endpoints, refused even with `allowPrivate`. */
const METADATA_ADDRESSES: ReadonlySet<string> = new Set([
  '169.254.169.254', // AWS, GCP, Azure, OpenStack, DigitalOcean, …
  '169.254.170.2', // AWS ECS task metadata
  '100.100.100.200', // Alibaba Cloud
  '168.63.129.16', // Azure WireServer (a public address, so the range check alone misses it)
  'fd00:ec2::254', // AWS over IPv6
]);
const METADATA_HOSTNAMES: ReadonlySet<string> = new Set([
  'metadata.google.internal',
  'metadata.goog',
  'metadata',
]);

/** Ranges (ipaddr.js names) that `allowPrivate` opens; every other non-`unicast` range is always refused. */
const PRIVATE_RANGES: ReadonlySet<string> = new Set([
  'loopback',
  'private',
  'carrierGradeNat',
  'linkLocal',
  'uniqueLocal',
]);

/** Deprecated IPv4-compatible IPv6 (`::a.b.c.d`), which ipaddr.js counts as unicast (`::`, `::1` aside). */
const IPV4_COMPATIBLE: [ipaddr.IPv6, number] = [ipaddr.IPv6.parse('::'), 96];

/**
 * Why `address` (a literal IPv4 or IPv6) must not be connected to, or `undefined` when it may.
 * Deny by default: only what ipaddr.js calls `unicast` passes (plus the private ranges with
 * `allowPrivate`). IPv4-mapped IPv6 is judged as the IPv4 address it carries.
 */
export function forbiddenAddressReason(
  address: string,
  { allowPrivate }: SsrfGuardOptions,
): string | undefined {
  if (!ipaddr.isValid(address)) return `${address} is not an IP address`;
  const parsed = ipaddr.process(address);
  const normalized = parsed.toString();
  if (METADATA_ADDRESSES.has(normalized)) return `${normalized} is a cloud metadata address`;
  const range = parsed.range();
  if (range === 'unicast')
    return isIpv4Compatible(parsed) ? `${normalized} is IPv4-compatible IPv6` : undefined;
  if (allowPrivate && PRIVATE_RANGES.has(range)) return undefined;
  return `${normalized} is in the ${range} range`;
}

function isIpv4Compatible(address: ipaddr.IPv4 | ipaddr.IPv6): boolean {
  return address.kind() === 'ipv6' && address.match(IPV4_COMPATIBLE);
}

/**
 * Registration-time check of a webhook endpoint URL: `https` (or `http` with `allowPrivate`), no
 * user-info, no `localhost`/`*.localhost` host (unless `allowPrivate`), no metadata host, and a
 * literal IP host must pass {@link forbiddenAddressReason}. The WHATWG parser has already
 * normalised odd IPv4 forms (`2130706433`, `0x7f.1`) to dotted quads.
 *
 * Not promised: that the hostname resolves to a safe address; DNS can change at any time, so
 * {@link resolveSafeAddress} runs again before every connection.
 */
export function checkEndpointUrl(raw: string, options: SsrfGuardOptions): SsrfCheck<URL> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return refuse('invalid-url', 'the endpoint is not an absolute URL');
  }
  const allowedSchemes = options.allowPrivate ? ['https:', 'http:'] : ['https:'];
  if (!allowedSchemes.includes(url.protocol)) {
    return refuse('scheme', `the endpoint must use ${allowedSchemes.join(' or ')}, not ${url.protocol}`);
  }
  if (url.username || url.password)
    return refuse('credentials', 'the endpoint URL must not carry credentials');
  const hostRefusal = checkHost(bareHost(url.hostname), options);
  return hostRefusal ?? { ok: true, value: url };
}

/**
 * Connect-time check: resolves `hostname` (every address, via `lookup`) and returns the first
 * address only when ALL of them are allowed, so a host mixing public and private records is
 * refused. A literal IP is checked without a lookup. Connect to the returned address and nothing
 * else (see `safeDelivery`), otherwise DNS rebinding defeats the check.
 */
export async function resolveSafeAddress(
  hostname: string,
  options: SsrfGuardOptions & { lookup?: LookupAll },
): Promise<SsrfCheck<ResolvedAddress>> {
  const host = bareHost(hostname);
  const hostRefusal = checkHost(host, options);
  if (hostRefusal) return hostRefusal;
  if (ipaddr.isValid(host))
    return { ok: true, value: { address: host, family: ipaddr.parse(host).kind() === 'ipv4' ? 4 : 6 } };
  let addresses: ResolvedAddress[];
  try {
    addresses = await (options.lookup ?? lookupAll)(host, { all: true });
  } catch (error) {
    return refuse('dns-failed', `could not resolve ${host}: ${(error as Error).message}`);
  }
  return firstIfAllAllowed(host, addresses, options);
}

const lookupAll: LookupAll = (hostname, options) => dnsLookup(hostname, options);

function firstIfAllAllowed(
  host: string,
  addresses: ResolvedAddress[],
  options: SsrfGuardOptions,
): SsrfCheck<ResolvedAddress> {
  const [first] = addresses;
  if (!first) return refuse('dns-failed', `${host} resolved to no address`);
  for (const { address } of addresses) {
    const reason = forbiddenAddressReason(address, options);
    if (reason) return refuse('forbidden-address', `${host} resolves to ${reason}`);
  }
  return { ok: true, value: first };
}

function checkHost(host: string, options: SsrfGuardOptions): SsrfRefusal | undefined {
  if (host === '') return refuse('invalid-url', 'the endpoint has no host');
  if (METADATA_HOSTNAMES.has(host)) return refuse('forbidden-host', `${host} is a cloud metadata host`);
  const isLocalhost = host === 'localhost' || host.endsWith('.localhost');
  if (isLocalhost && !options.allowPrivate) return refuse('forbidden-host', `${host} is a loopback name`);
  if (!ipaddr.isValid(host)) return undefined;
  const reason = forbiddenAddressReason(host, options);
  return reason ? refuse('forbidden-address', reason) : undefined;
}

/** Lower-case, without IPv6 brackets or a trailing root dot (`localhost.` is `localhost`). */
function bareHost(hostname: string): string {
  return hostname
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.$/, '');
}

function refuse(reason: SsrfRefusalReason, detail: string): SsrfRefusal {
  return { ok: false, reason, detail };
}
