import { pendingAdapter } from '../contract/pending-adapter';

export const telegramAdapter = pendingAdapter('telegram');
