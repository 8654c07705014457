import type { SandboxPlatformFactory } from '../sandbox-platform';
import { emailSimulator } from './email';
import { notifySimulator } from './notify';
import { okSimulator } from './ok';
import { smsSimulator } from './sms';
import { telegramSimulator } from './telegram';
import { viberSimulator } from './viber';
import { vkSimulator } from './vk';
import { whatsappSimulator } from './whatsapp';

/** Every platform simulator the sandbox runs. */
export const allSimulators: readonly SandboxPlatformFactory[] = [
  vkSimulator,
  notifySimulator,
  okSimulator,
  telegramSimulator,
  viberSimulator,
  whatsappSimulator,
  smsSimulator,
  emailSimulator,
];
