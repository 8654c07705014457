/**
 * A request header by lower-case `name`, in whatever case it arrived: Node lower-cases header
 * names, but a proxy or test may keep the platform's casing (`X-Viber-Content-Signature`).
 */
export function headerValue(
  headers: Readonly<Record<string, string | undefined>>,
  name: string,
): string | undefined {
  const direct = headers[name];
  if (direct !== undefined) return direct;
  const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name);
  return key === undefined ? undefined : headers[key];
}
