import { pendingAdapter } from '../contract/pending-adapter';

export const smsAdapter = pendingAdapter('sms');
