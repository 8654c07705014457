import { pendingAdapter } from '../contract/pending-adapter';

export const okNotifyAdapter = pendingAdapter('ok-notify');
