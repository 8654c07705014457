import { pendingSimulator } from '../pending-simulator';

export const notifySimulator = pendingSimulator('notify');
