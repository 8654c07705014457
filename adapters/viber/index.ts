import { pendingAdapter } from '../contract/pending-adapter';

export const viberAdapter = pendingAdapter('viber');
