import type { ChannelCapabilities } from '../../adapters/contract';
import { adapterRegistry } from '../../adapters/registry';

const initiationText: Record<ChannelCapabilities['initiation'], string> = {
  'by-phone': 'any phone number',
  'by-address': 'any address',
  'after-user-wrote': 'after the user wrote / subscribed',
  'template-only-outside-window': 'free text in the 24 h window, templates outside',
};

function describeText(caps: ChannelCapabilities): string {
  return caps.text.maxBytes
    ? `${caps.text.maxLength} chars, ${caps.text.maxBytes} bytes`
    : `${caps.text.maxLength} chars`;
}

function describeButtons(caps: ChannelCapabilities): string {
  if (!caps.buttons) return '—';
  return `${caps.buttons.max} (${caps.buttons.kinds.join(', ')}; label ≤ ${caps.buttons.maxLabelLength})`;
}

function describeImages(caps: ChannelCapabilities): string {
  if (!caps.images) return '—';
  const formats = caps.images.formats.map((format) => format.replace('image/', '')).join('/');
  return `${caps.images.max} × ${formats} ≤ ${Math.round(caps.images.maxBytes / 1024 / 1024)} MB`;
}

function describeReceipts(caps: ChannelCapabilities): string {
  const parts = [caps.reports.delivered ? 'delivered' : null, caps.reports.read ? 'read' : null].filter(
    Boolean,
  );
  return parts.length > 0 ? parts.join(' + ') : 'none';
}

/**
 * The README's channel table, from the registry itself (capabilities with default config), so
 * the documentation cannot drift from the adapters (a test compares them).
 */
export function renderChannelTable(): string {
  const header = [
    '| Type | Channel | Text | Buttons | Images | Receipts | May write first | Inbound | Withdraw | Rate | Connect a real account |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  const rows = Object.values(adapterRegistry).map((definition) => {
    const caps = definition.capabilities(definition.configSchema.parse(definition.exampleConfig));
    return `| \`${definition.kind}\` | ${definition.title} | ${describeText(caps)} | ${describeButtons(caps)} | ${describeImages(caps)} | ${describeReceipts(caps)} | ${initiationText[caps.initiation]} | ${caps.inbound ? 'yes' : 'no'} | ${caps.withdraw ? 'yes' : 'no'} | ${caps.rateLimit.perSecond}/s | ${definition.connectHint.replaceAll('|', '\\|')} |`;
  });
  return [...header, ...rows].join('\n');
}
