import { pendingAdapter } from '../contract/pending-adapter';

export const okAdapter = pendingAdapter('ok');
