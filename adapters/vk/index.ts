import { pendingAdapter } from '../contract/pending-adapter';

export const vkAdapter = pendingAdapter('vk');
