import { pendingSimulator } from '../pending-simulator';

export const vkSimulator = pendingSimulator('vk');
