import { defineNotifyAdapter } from './notify-definition';

/** VK service notifications by phone number, through a reseller's notification gateway. */
export const vkNotifyAdapter = defineNotifyAdapter({
  kind: 'vk-notify',
  route: 'vk',
  title: 'VK notifications (by phone number)',
  connectHint:
    'Get an API key and a callback secret from your VK Notify reseller, have your VK group and templates approved, then paste the key, the secret and the gateway URL.',
});
