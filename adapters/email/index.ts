import { pendingAdapter } from '../contract/pending-adapter';

export const emailAdapter = pendingAdapter('email');
