import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import { faultRequest } from './faults';
import {
  blockInput,
  buttonPressInput,
  parseControlInput,
  readInput,
  type SandboxContext,
  SandboxInputError,
  type SandboxPlatform,
  seenInput,
  userMessageInput,
} from './sandbox-platform';
import { type SimulatorName, simulatorNames } from './simulators';
import {
  createUserInput,
  isChatPlatform,
  type PlatformAccount,
  publicUser,
  type VirtualUser,
} from './virtual-users';

const platformQuery = z.object({ platform: z.enum(simulatorNames).optional() }).strict();
const accountInput = z.object({ platform: z.enum(simulatorNames) }).passthrough();
const clockInput = z
  .object({
    advanceMs: z
      .number()
      .int()
      .min(1)
      .max(30 * 86_400_000),
  })
  .strict();

type Handler = (req: Request, res: Response) => Promise<void> | void;

/** Wraps a handler so `SandboxInputError` and zod failures become problem+json answers. */
const handle =
  (handler: Handler) =>
  async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    try {
      await handler(req, res);
    } catch (error) {
      if (!(error instanceof SandboxInputError)) return next(error);
      res
        .status(error.status)
        .type('application/problem+json')
        .send(
          JSON.stringify({
            type: 'about:blank',
            title: 'Sandbox input error',
            status: error.status,
            detail: error.message,
          }),
        );
    }
  };

/** The control API (`/_sandbox/...`): users, what they received, what they do, faults, logs. */
export function createControlRouter(
  context: SandboxContext,
  platforms: Map<SimulatorName, SandboxPlatform>,
): Router {
  const router = express.Router();
  router.use(express.json({ limit: '100mb' }));
  const userOf = (req: Request): VirtualUser => {
    const user = context.users.get(String(req.params.id));
    if (!user) throw new SandboxInputError(`no virtual user ${String(req.params.id)}`, 404);
    return user;
  };
  const platformOf = (name: SimulatorName): SandboxPlatform => {
    const platform = platforms.get(name);
    if (!platform) throw new SandboxInputError(`platform ${name} is not simulated`, 404);
    return platform;
  };
  const unsupported = (name: string, what: string): never => {
    throw new SandboxInputError(`${name} has no ${what}`, 422);
  };
  const accountOf = (user: VirtualUser, name: SimulatorName): PlatformAccount => {
    const account = isChatPlatform(name) ? user.accounts[name] : undefined;
    if (!account) throw new SandboxInputError(`user ${user.id} has no ${name} account`, 422);
    return account;
  };
  /**
   * The user blocks or unblocks the business: sets `blocked`, and the simulator sends the platform's
   * webhook for it. Repeating the current state changes nothing and sends nothing, like the platforms.
   */
  const setBlocked = (blocked: boolean) =>
    handle(async (req, res) => {
      const input = parseControlInput(blockInput, req.body);
      const platform = platformOf(input.platform);
      const act = platform.setBlocked?.bind(platform) ?? unsupported(input.platform, 'block notifications');
      const user = userOf(req);
      const account = accountOf(user, input.platform);
      if (account.blocked !== blocked) {
        account.blocked = blocked;
        try {
          await act(user, blocked, input.to);
        } catch (error) {
          account.blocked = !blocked;
          throw error;
        }
      }
      res.status(204).end();
    });

  router.get('/info', (_req, res) => {
    res.json({
      url: context.baseUrl(),
      platforms: Object.fromEntries(
        [...platforms.values()].map((platform) => [platform.name, platform.info()]),
      ),
    });
  });
  router.post(
    '/accounts',
    handle(async (req, res) => {
      const { platform } = parseControlInput(accountInput, req.body);
      const { platform: _omit, ...body } = req.body as Record<string, unknown>;
      res.status(201).json(await platformOf(platform).createAccount(body));
    }),
  );
  router.post(
    '/users',
    handle((req, res) => {
      res.status(201).json(publicUser(context.users.create(parseControlInput(createUserInput, req.body))));
    }),
  );
  router.get('/users', (_req, res) => {
    res.json({ users: context.users.all().map(publicUser) });
  });
  router.get(
    '/users/:id',
    handle((req, res) => {
      res.json(publicUser(userOf(req)));
    }),
  );
  router.get(
    '/users/:id/received',
    handle((req, res) => {
      const { platform } = parseControlInput(platformQuery, req.query);
      const received = userOf(req).received.filter((message) => !platform || message.platform === platform);
      res.json({ received });
    }),
  );
  router.post(
    '/users/:id/messages',
    handle(async (req, res) => {
      const input = parseControlInput(userMessageInput, req.body);
      const platform = platformOf(input.platform);
      const act = platform.userMessage?.bind(platform) ?? unsupported(input.platform, 'user messages');
      res.status(201).json(await act(userOf(req), input));
    }),
  );
  router.post(
    '/users/:id/buttons',
    handle(async (req, res) => {
      const input = parseControlInput(buttonPressInput, req.body);
      const platform = platformOf(input.platform);
      const act = platform.pressButton?.bind(platform) ?? unsupported(input.platform, 'buttons');
      await act(userOf(req), input);
      res.status(204).end();
    }),
  );
  router.post(
    '/users/:id/read',
    handle(async (req, res) => {
      const input = parseControlInput(readInput, req.body);
      const platform = platformOf(input.platform);
      const act = platform.read?.bind(platform) ?? unsupported(input.platform, 'read receipts');
      await act(userOf(req), input);
      res.status(204).end();
    }),
  );
  router.post('/users/:id/block', setBlocked(true));
  router.post('/users/:id/unblock', setBlocked(false));
  router.post(
    '/users/:id/seen',
    handle((req, res) => {
      const { minutesAgo } = parseControlInput(seenInput, req.body);
      const user = userOf(req);
      user.lastSeenAt = new Date(context.clock.nowMs() - minutesAgo * 60_000);
      res.json(publicUser(user));
    }),
  );
  router.post(
    '/faults',
    handle((req, res) => {
      context.faults.add(parseControlInput(faultRequest, req.body));
      res.status(201).json({ faults: context.faults.list() });
    }),
  );
  router.get('/faults', (_req, res) => {
    res.json({ faults: context.faults.list() });
  });
  router.delete(
    '/faults',
    handle((req, res) => {
      context.faults.clear(parseControlInput(platformQuery, req.query).platform);
      res.status(204).end();
    }),
  );
  router.get(
    '/requests',
    handle((req, res) => {
      const { platform } = parseControlInput(platformQuery, req.query);
      res.json({
        requests: context.log.requests.filter((entry) => !platform || entry.platform === platform),
      });
    }),
  );
  router.get(
    '/callbacks',
    handle((req, res) => {
      const { platform } = parseControlInput(platformQuery, req.query);
      res.json({
        callbacks: context.log.callbacks.filter((entry) => !platform || entry.platform === platform),
      });
    }),
  );
  router.delete('/requests', (_req, res) => {
    context.log.clear();
    res.status(204).end();
  });
  router.post(
    '/clock',
    handle((req, res) => {
      context.clock.advance(parseControlInput(clockInput, req.body).advanceMs);
      res.json({ now: context.clock.now().toISOString() });
    }),
  );
  router.get('/files/:id', (req, res) => {
    const opened = context.files.open(String(req.params.id), query(req, 'expires'), query(req, 'sig'));
    if (opened === 'missing') return void res.status(404).send('Not Found');
    if (opened === 'expired' || opened === 'forbidden') return void res.status(403).send('Forbidden');
    res.type(opened.mimeType).send(opened.data);
  });
  return router;
}

const query = (req: Request, name: string): string | undefined => {
  const value = req.query[name];
  return typeof value === 'string' ? value : undefined;
};
