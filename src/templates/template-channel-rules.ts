import type { ChannelCapabilities, ChannelKind } from '../../adapters/contract';
import { adapterRegistry } from '../../adapters/registry';
import type { FieldError } from '../errors/app-error';
import { buttonsForChannel, type TemplateButton } from './template-buttons';

/** A kind's capabilities with its default config (what the README's channel table shows). */
export function defaultCapabilities(kind: ChannelKind): ChannelCapabilities {
  const definition = adapterRegistry[kind];
  return definition.capabilities(definition.configSchema.parse(definition.exampleConfig));
}

/**
 * Where an allowed channel has buttons but fewer, shorter or other ones than the template's
 * (WhatsApp: at most 3 reply buttons, titles ≤ 20; e-mail: links only), the template is refused
 * naming the channel, else every send there would be skipped. Channels without message buttons
 * (SMS; the notification gateway, whose buttons belong to the platform template) are not checked:
 * they show none. Capabilities are the kind's defaults, not a particular channel's config.
 */
export function channelButtonErrors(
  buttons: readonly TemplateButton[],
  channels: readonly ChannelKind[],
): FieldError[] {
  if (buttons.length === 0) return [];
  return channels.flatMap((kind) => {
    const capabilities = defaultCapabilities(kind);
    if (!capabilities.buttons) return [];
    const mapped = buttonsForChannel(buttons, capabilities);
    if (mapped.ok) return [];
    const message = `${kind}: ${mapped.message}; use fewer or other buttons, or drop ${kind} from channels`;
    return [{ path: 'body.buttons', message }];
  });
}

/** One error per image id that is not an uploaded template image of the workspace. */
export function imageIdErrors(ids: readonly string[], missing: readonly string[]): FieldError[] {
  return ids.flatMap((id, index) =>
    missing.includes(id)
      ? [
          {
            path: `body.images.${index}`,
            message: `no template image ${id} in this workspace; upload it first (POST /v1/template-images)`,
          },
        ]
      : [],
  );
}
