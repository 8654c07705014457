import { pendingAdapter } from '../contract/pending-adapter';

export const whatsappAdapter = pendingAdapter('whatsapp');
