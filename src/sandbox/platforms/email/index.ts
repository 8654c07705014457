import { pendingSimulator } from '../pending-simulator';

export const emailSimulator = pendingSimulator('email');
