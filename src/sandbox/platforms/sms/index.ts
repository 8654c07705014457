import { pendingSimulator } from '../pending-simulator';

export const smsSimulator = pendingSimulator('sms');
