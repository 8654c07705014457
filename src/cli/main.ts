import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Command, CommanderError } from 'commander';
import pino from 'pino';
import { registerBotCommands } from '../../bot-flows/cli';
import { OperatorExistsError } from '../auth/operators';
import { renderChannelTable } from '../channels/channel-docs';
import { renderConfigTable, renderEnvExample } from '../config/config-docs';
import type { Config } from '../config/env-schema';
import { ConfigError, loadConfig } from '../config/load-config';
import { createLogger, type Logger } from '../logging/logger';
import { packageRoot } from '../package-root';
import { RedisUnreachableError } from '../queue/redis-connection';
import { PortInUseError } from '../runtime/http-server';
import { type Role, runService } from '../runtime/run-service';
import { exitCleanlyOnSignals } from '../runtime/shutdown';
import { socketAddress, startSandbox } from '../sandbox/run-sandbox';
import { ensureFerretDbBuilt } from '../storage/ferretdb/ferretdb-build';
import { MongoUnreachableError } from '../storage/mongo-connection';
import { apiKeyCreate, apiKeyRevoke, type CliContext, operatorAdd, workspaceCreate } from './admin-commands';
import { CliUsageError } from './cli-schemas';

const version = (
  JSON.parse(readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { version: string }
).version;

/** Errors that are the user's to fix: one line, no stack. */
const expectedErrors = [
  ConfigError,
  CliUsageError,
  MongoUnreachableError,
  RedisUnreachableError,
  PortInUseError,
  OperatorExistsError,
];

function context(role: 'service' | 'admin'): { config: Config; logger: Logger; ctx: CliContext } {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const config = loadConfig();
  // Services log JSON to stdout; admin commands keep stdout for their result and log warnings to stderr.
  const logger =
    role === 'service'
      ? createLogger({ level: config.LOG_LEVEL })
      : createLogger({ level: 'warn', destination: pino.destination(2) });
  const ctx: CliContext = {
    config,
    logger,
    out: (text) => process.stdout.write(`${text}\n`),
    note: (text) => process.stderr.write(`${text}\n`),
  };
  return { config, logger, ctx };
}

async function serviceRole(role: Role): Promise<void> {
  const { config, logger } = context('service');
  const service = await runService(role, {
    config,
    logger,
    version,
    print: (line) => process.stderr.write(`${line}\n`),
  });
  exitCleanlyOnSignals(() => service.stop(), logger, config.SHUTDOWN_TIMEOUT_MS + 1000);
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled promise rejection'));
}

function buildProgram(): Command {
  const program = new Command('vestnik')
    .description('Vestnik: service notifications and a unified inbox over chat apps, SMS and e-mail.')
    .version(version)
    .exitOverride()
    .showHelpAfterError('(run vestnik --help for usage)');

  program
    .command('start')
    .description('HTTP API, webhooks, socket.io and queue workers in one process')
    .action(() => serviceRole('start'));
  program
    .command('serve')
    .description('HTTP API, webhooks and socket.io only')
    .action(() => serviceRole('serve'));
  program
    .command('worker')
    .description('Queue workers only')
    .action(() => serviceRole('worker'));

  const workspace = program.command('workspace').description('Manage workspaces');
  workspace
    .command('create')
    .description('Create a workspace with an API key and an admin operator (shown once)')
    .requiredOption('--name <name>', 'workspace name')
    .option('--admin-email <email>', 'e-mail of the admin operator')
    .option('--json', 'print {"workspaceId","apiKey","admin":{"email","password"}}')
    .action((options) => workspaceCreate(context('admin').ctx, options));

  const apikey = program.command('apikey').description('Manage API keys');
  apikey
    .command('create')
    .description('Create an API key (shown once)')
    .requiredOption('--workspace <id>', 'workspace id')
    .option('--name <name>', 'a label for the key')
    .option('--scopes <a,b>', 'comma-separated scopes (default: all but templates:moderate)')
    .option('--allow-ip <cidr...>', 'only accept requests from these IPs / CIDR ranges')
    .option('--json', 'print JSON')
    .action((options) => apiKeyCreate(context('admin').ctx, options));
  apikey
    .command('revoke')
    .description('Revoke an API key by its visible prefix (vst_xxxxxxxxxx)')
    .argument('<prefix>', 'key prefix or the whole key')
    .action((prefix: string) => apiKeyRevoke(context('admin').ctx, { prefix }));

  const operator = program.command('operator').description('Manage operators');
  operator
    .command('add')
    .description('Add an operator with a generated password (shown once)')
    .requiredOption('--workspace <id>', 'workspace id')
    .requiredOption('--email <email>', 'login e-mail')
    .requiredOption('--role <role>', 'admin | moderator | operator')
    .option('--name <name>', 'display name')
    .option('--json', 'print JSON')
    .action((options) => operatorAdd(context('admin').ctx, options));

  const db = program.command('db').description('The embedded database (local mode)');
  db.command('build')
    .description('Build the embedded FerretDB now (otherwise the first start does it)')
    .action(async () => {
      const { config } = context('admin');
      const binary = await ensureFerretDbBuilt({
        toolsDir: config.TOOLS_DIR,
        onProgress: (line) => process.stderr.write(`${line}\n`),
      });
      process.stdout.write(`${binary}\n`);
    });

  program
    .command('sandbox')
    .description('Run the platform sandbox alone (simulated VK, OK, Telegram, Viber, WhatsApp, SMSC, SMTP)')
    .action(async () => {
      const { config, logger } = context('service');
      const sandbox = await startSandbox(config, logger);
      process.stderr.write(
        [
          `Vestnik sandbox ready (seed "${config.SANDBOX_SEED}")`,
          `  Platform APIs  ${sandbox.url}/<platform>  (vk, notify, ok, telegram, viber, whatsapp)`,
          `  Control API    ${sandbox.url}/_sandbox/info`,
          `  SMSC (SMPP)    ${socketAddress(sandbox, 'sms')}`,
          `  SMTP           ${socketAddress(sandbox, 'email')}`,
          'Stop with Ctrl+C (SIGINT) or SIGTERM.',
          '',
        ].join('\n'),
      );
      exitCleanlyOnSignals(() => sandbox.close(), logger, config.SHUTDOWN_TIMEOUT_MS + 1000);
    });

  const channels = program.command('channels').description('Channel reference');
  channels
    .command('table')
    .description('Markdown table of every channel type: capabilities, limits, how to connect')
    .action(() => {
      process.stdout.write(`${renderChannelTable()}\n`);
    });

  const config = program.command('config').description('Configuration reference');
  config
    .command('table')
    .description('Markdown table of every environment variable')
    .action(() => {
      process.stdout.write(`${renderConfigTable()}\n`);
    });
  config
    .command('env-example')
    .description('Print .env.example')
    .action(() => {
      process.stdout.write(renderEnvExample());
    });

  registerBotCommands(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode;
      return;
    }
    const expected = expectedErrors.some((type) => error instanceof type);
    process.stderr.write(
      `vestnik: ${expected ? (error as Error).message : String((error as Error).stack ?? error)}\n`,
    );
    process.exitCode = 1;
  }
}
