import type { AdapterDefinition } from '../contract';
import { emailCapabilities } from './capabilities';
import { type EmailConfig, emailConfigSchema, emailSecretFields } from './config-schema';
import { EmailAdapter } from './email-adapter';

/** E-mail over SMTP (nodemailer, pooled connections). See README.md. */
export const emailAdapter: AdapterDefinition<EmailConfig> = {
  kind: 'email',
  title: 'E-mail (SMTP)',
  configSchema: emailConfigSchema,
  secretFields: emailSecretFields,
  connectHint:
    "Enter your provider's SMTP submission host and port (587 with STARTTLS or 465 with TLS), the mailbox login and an app password, and the From address that mailbox may send as.",
  capabilities: emailCapabilities,
  exampleConfig: {
    host: 'smtp.provider.example',
    port: 587,
    user: 'shop@example.com',
    password: 'app-password',
    from: { address: 'shop@example.com', name: 'Shop' },
  },
  create: (config, context) => new EmailAdapter(config, context),
};
