import { format } from 'node:util';
import { pino, type Logger } from 'pino';

export type { Logger };

/** JSON logs on stdout (one line per event), ready for any collector. */
export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'essaim' }, timestamp: pino.stdTimeFunctions.isoTime });
}

const CONSOLE_LEVELS = {
  debug: 'debug',
  log: 'info',
  info: 'info',
  warn: 'warn',
  error: 'error',
} as const satisfies Record<string, 'debug' | 'info' | 'warn' | 'error'>;

/**
 * Sends what libraries write with `console.*` into `logger`, as JSON lines like the rest
 * (`component: "console"`): Hocuspocus writes plain-text lines with `console.error` (for example
 * on a presence message a hook refused), which broke the JSON log for collectors (tester BR29).
 * The first `Error` among the arguments becomes `err` (with its stack); the message is the
 * arguments formatted as `console` would (`util.format`). `console.log` is level info.
 *
 * For the server's process entry (`main.ts`) only: tests keep their console. Returns the function
 * that puts the console back.
 */
export function routeConsoleToLogger(logger: Logger): () => void {
  const child = logger.child({ component: 'console' });
  const saved = new Map<keyof typeof CONSOLE_LEVELS, (...args: unknown[]) => void>();
  for (const [method, level] of Object.entries(CONSOLE_LEVELS) as [
    keyof typeof CONSOLE_LEVELS,
    (typeof CONSOLE_LEVELS)[keyof typeof CONSOLE_LEVELS],
  ][]) {
    // This function's purpose is to take the console over.
    // eslint-disable-next-line no-console
    saved.set(method, console[method]);
    // eslint-disable-next-line no-console
    console[method] = (...args: unknown[]): void => {
      const err = args.find((a): a is Error => a instanceof Error);
      const message = format(...args);
      if (err) child[level]({ err }, message);
      else child[level](message);
    };
  }
  return () => {
    // eslint-disable-next-line no-console
    for (const [method, original] of saved) console[method] = original;
  };
}
