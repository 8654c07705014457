import { defineNotifyAdapter } from '../vk-notify/notify-definition';

/** OK (Odnoklassniki) service notifications by phone number: the VK gateway's `ok` route. */
export const okNotifyAdapter = defineNotifyAdapter({
  kind: 'ok-notify',
  route: 'ok',
  title: 'OK notifications (by phone number)',
  connectHint:
    'Get an API key and a callback secret from your VK Notify reseller with the OK route enabled, have your OK group and templates approved, then paste the key, the secret and the gateway URL.',
});
