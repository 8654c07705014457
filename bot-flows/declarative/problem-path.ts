/** A path into a flow file as authors read it: `faq[2].answer`, `collect.order-status.pattern`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let formatted = '';
  for (const segment of path) {
    if (typeof segment === 'number') formatted += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(String(segment)))
      formatted += `${formatted ? '.' : ''}${String(segment)}`;
    else formatted += `[${JSON.stringify(String(segment))}]`;
  }
  return formatted;
}
