import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { routeConsoleToLogger } from './logger.js';

let restore: (() => void) | undefined;
afterEach(() => restore?.());

/** A logger writing its JSON lines into `lines`. */
function capture(lines: Record<string, unknown>[]) {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean))
        lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return pino({ level: 'debug' }, sink);
}

describe('what libraries write on the console', () => {
  it('becomes JSON log lines of the server, with the error and its stack when one is given', async () => {
    const lines: Record<string, unknown>[] = [];
    restore = routeConsoleToLogger(capture(lines));
    console.error('closing connection %s because of exception', 'abc', new Error('refusé'));
    // What Hocuspocus's banner uses, among others.
    // eslint-disable-next-line no-console
    console.log('plain line');
    console.warn('a warning');
    await expect.poll(() => lines.length).toBe(3);
    expect(lines[0]).toMatchObject({ level: 50, component: 'console' });
    expect(lines[0]?.msg).toContain('closing connection abc because of exception');
    expect(lines[0]?.err).toMatchObject({ message: 'refusé' });
    expect(String((lines[0]?.err as { stack?: string }).stack)).toContain('Error: refusé');
    expect(lines[1]).toMatchObject({ level: 30, msg: 'plain line' });
    expect(lines[2]).toMatchObject({ level: 40, msg: 'a warning' });
  });

  it('goes back to the console once restored', () => {
    const lines: Record<string, unknown>[] = [];
    const original = console.error;
    routeConsoleToLogger(capture(lines))();
    expect(console.error).toBe(original);
  });
});
