import pino, { type Logger } from 'pino';
import { redactedPaths, redactLine } from './redaction';

export type { Logger };

export interface LoggerOptions {
  level: string;
  /** Destination; defaults to stdout. Tests pass a stream to read what was logged. */
  destination?: pino.DestinationStream;
}

/** The root logger. Modules take a child: `logger.child({ module: 'vestnik:http' })`. */
export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level,
      base: { pid: process.pid },
      redact: { paths: redactedPaths, remove: true },
      hooks: { streamWrite: redactLine },
    },
    // Buffered (4 KB) asynchronous writes: one write per few lines instead of one per line. Flushed
    // on shutdown and, synchronously, on process exit.
    options.destination ?? pino.destination({ sync: false, minLength: 4096 }),
  );
}
