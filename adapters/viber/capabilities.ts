import type { ChannelCapabilities } from '../contract';

/** Viber REST API, "Text message": `text` — "Required. Max 7000 characters". */
export const viberTextMaxLength = 7000;
/** Viber REST API, send_message: "Maximum message size is 30KB" (the whole JSON body). */
export const viberMessageMaxBytes = 30 * 1024;
/** Viber "Keyboards" (docs/tools/keyboards): the keyboard takes at most 24 buttons. */
export const viberKeyboardMaxButtons = 24;
/** Viber "Keyboards", button parameters: `Text` — "Max 250 characters". */
export const viberButtonTextMaxLength = 250;
/** Viber REST API, send_message: `tracking_data` — "Max 4000 characters". */
export const viberTrackingDataMaxLength = 4000;

/**
 * What a Viber bot can carry (developers.viber.com/docs/api/rest-bot-api and
 * creators.viber.com/docs/bots-api):
 * - text up to 7000 characters (the whole request at most 30 KB, checked by the renderer);
 * - a keyboard of up to 24 buttons: `reply` buttons send their `ActionBody` back as the user's
 *   message, `open-url` buttons open a link; labels (`Text`) up to 250 characters;
 * - no images: Viber's picture message takes a public `media` URL (no upload API), and the channel
 *   contract hands adapters image bytes with nowhere to host them (see README);
 * - `delivered` and `seen` callbacks for every message;
 * - only subscribed users can be messaged (a user subscribes by writing to the bot or pressing
 *   "subscribe"): status 6 `receiverNotSubscribed` otherwise;
 * - no delete API, so no withdraw.
 * Viber documents no per-second send limit for bots, only status 12 `tooManyRequests` (at most 100
 * messages to a user within an hour without a reply); 20/s is our own pacing.
 */
export const viberCapabilities: ChannelCapabilities = {
  text: { maxLength: viberTextMaxLength },
  buttons: {
    kinds: ['reply', 'link'],
    max: viberKeyboardMaxButtons,
    maxLabelLength: viberButtonTextMaxLength,
  },
  images: null,
  reports: { delivered: true, read: true },
  initiation: 'after-user-wrote',
  inbound: true,
  platformTemplates: false,
  rateLimit: { perSecond: 20 },
  withdraw: false,
};
