import { pino, type Logger } from 'pino';

export type { Logger };

/** JSON logs on stdout (one line per event), ready for any collector. */
export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'essaim' }, timestamp: pino.stdTimeFunctions.isoTime });
}
