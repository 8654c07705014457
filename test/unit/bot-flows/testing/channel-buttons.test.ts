import { channelKinds } from '../../../../adapters/contract';
import { adapterRegistry } from '../../../../adapters/registry';
import { buttonCapabilities } from '../../../../bot-flows/testing/channel-buttons';

describe('buttonCapabilities', () => {
  test.each(channelKinds)(
    '%s: the same buttons as the adapter declares with its example settings',
    (kind) => {
      const definition = adapterRegistry[kind];
      const capabilities = definition.capabilities(definition.configSchema.parse(definition.exampleConfig));
      expect(buttonCapabilities(kind).buttons).toEqual(capabilities.buttons);
    },
  );
});
