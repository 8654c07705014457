import ipaddr from 'ipaddr.js';

/** Normalises CIDR strings (a bare address means a single host). Throws on anything else. */
export function parseAllowList(entries: readonly string[]): string[] {
  return entries.map((entry) => {
    const cidr = entry.includes('/') ? entry : `${entry}/${ipaddr.parse(entry).kind() === 'ipv4' ? 32 : 128}`;
    const [address, bits] = ipaddr.parseCIDR(cidr);
    return `${address.toString()}/${bits}`;
  });
}

export function isValidCidr(entry: string): boolean {
  try {
    parseAllowList([entry]);
    return true;
  } catch {
    return false;
  }
}

/** Whether `ip` falls in one of the ranges; an empty list allows every address. IPv4-mapped IPv6 is unwrapped. */
export function isIpAllowed(ip: string, allowList: readonly string[]): boolean {
  if (allowList.length === 0) return true;
  let address: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    address = ipaddr.process(ip);
  } catch {
    return false;
  }
  return allowList.some((cidr) => {
    const range = ipaddr.parseCIDR(cidr);
    return address.kind() === range[0].kind() && address.match(range);
  });
}
