import { pendingSimulator } from '../pending-simulator';

export const viberSimulator = pendingSimulator('viber');
