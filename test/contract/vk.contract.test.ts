import { vkAdapter } from '../../adapters/vk';
import { vkRetryDelayMs } from '../../adapters/vk/error-mapping';
import { describeAdapterContract } from './helpers/adapter-contract';
import { createVkChannel, createVkRecipient, tamperVkSecret } from './vk.helpers';

describeAdapterContract('vk', {
  simulator: 'vk',
  receivedOn: 'vk',
  createAdapter: async (env) => {
    const { adapter } = await createVkChannel(env, vkAdapter);
    return adapter;
  },
  createRecipient: (env) => createVkRecipient(env),
  tamper: tamperVkSecret,
  expectedRetryAfterMs: vkRetryDelayMs.tooManyPerSecond,
});
