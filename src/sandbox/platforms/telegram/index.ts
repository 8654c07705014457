import { pendingSimulator } from '../pending-simulator';

export const telegramSimulator = pendingSimulator('telegram');
