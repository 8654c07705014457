import { pendingSimulator } from '../pending-simulator';

export const whatsappSimulator = pendingSimulator('whatsapp');
