import { pendingSimulator } from '../pending-simulator';

export const okSimulator = pendingSimulator('ok');
