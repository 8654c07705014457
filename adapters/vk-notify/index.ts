import { pendingAdapter } from '../contract/pending-adapter';

export const vkNotifyAdapter = pendingAdapter('vk-notify');
