/** The sandbox's platform simulators. Faults and request logs are kept per simulator. */
export const simulatorNames = [
  'vk',
  'notify',
  'ok',
  'telegram',
  'viber',
  'whatsapp',
  'sms',
  'email',
] as const;
export type SimulatorName = (typeof simulatorNames)[number];
