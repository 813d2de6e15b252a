import { describe, expect, it } from 'vitest';
import {
  ConnectionWatchdog,
  WATCHDOG_TIMING as T,
  type SocketObservation,
  type WatchdogAction,
} from './connectionWatchdog.js';

const connected: SocketObservation = { status: 'connected', bufferedAmount: 0 };
const connecting: SocketObservation = { status: 'connecting', bufferedAmount: 0 };

/** Ticks every `T.tickMs` from `from` (excluded) to `to` (included); the actions, by time. */
function run(
  watchdog: ConnectionWatchdog,
  from: number,
  to: number,
  socket: (now: number) => SocketObservation = () => connected,
): Map<number, WatchdogAction> {
  const actions = new Map<number, WatchdogAction>();
  for (let now = from + T.tickMs; now <= to; now += T.tickMs) {
    const action = watchdog.tick(now, socket(now));
    if (action !== 'none') actions.set(now, action);
  }
  return actions;
}

/** A watchdog that saw the socket open at time 0. */
function openedAtZero(): ConnectionWatchdog {
  const watchdog = new ConnectionWatchdog(T, 0);
  expect(watchdog.tick(0, connected)).toBe('none');
  return watchdog;
}

describe('connection watchdog', () => {
  it('asks for a sign of life after two seconds of silence, then every two seconds', () => {
    const actions = run(openedAtZero(), 0, 5000);
    expect([...actions]).toEqual([
      [2000, 'probe'],
      [4000, 'probe'],
    ]);
  });

  it('takes a socket that stays silent six seconds for dead, once', () => {
    const actions = run(openedAtZero(), 0, 6500);
    expect(actions.get(6000)).toBe('close');
    expect([...actions.values()].filter((a) => a === 'close')).toHaveLength(1);
  });

  it('never closes a socket whose server answers the probes', () => {
    const watchdog = openedAtZero();
    for (let now = T.tickMs; now <= 60_000; now += T.tickMs) {
      const action = watchdog.tick(now, connected);
      expect(action).not.toBe('close');
      // The server's echo comes back 50 ms later (before the next tick).
      if (action === 'probe') watchdog.heard(now + 50);
    }
  });

  it('does not probe while messages flow (people typing)', () => {
    const watchdog = openedAtZero();
    for (let now = T.tickMs; now <= 20_000; now += T.tickMs) {
      watchdog.heard(now - 100);
      expect(watchdog.tick(now, connected)).toBe('none');
    }
  });

  it('keeps a large upload alive while the browser still sends it, and closes once it stalls', () => {
    const watchdog = openedAtZero();
    // 2 MB leave at 100 kB per half second for 10 s: the server answers nothing meanwhile.
    const progressing = run(watchdog, 0, 10_000, (now) => ({
      status: 'connected',
      bufferedAmount: 2_000_000 - now * 200,
    }));
    expect([...progressing.values()]).not.toContain('close');
    // Then nothing leaves any more (the network dropped under the upload).
    const stalled = run(watchdog, 10_000, 17_000, () => ({ status: 'connected', bufferedAmount: 5_000 }));
    expect(stalled.get(16_000)).toBe('close');
  });

  it('judges a new connection from its opening, not from the silence before it', () => {
    const watchdog = new ConnectionWatchdog(T, 0);
    // Disconnected for a minute (offline), then the socket opens.
    run(watchdog, 0, 60_000, () => ({ status: 'disconnected', bufferedAmount: 0 }));
    expect(watchdog.tick(60_500, connected)).toBe('none');
    const actions = run(watchdog, 60_500, 66_000);
    expect(actions.get(62_500)).toBe('probe');
    expect(actions.get(66_000)).toBeUndefined();
    expect(run(watchdog, 66_000, 66_500).get(66_500)).toBe('close');
  });

  it('abandons a connection still opening after ten seconds', () => {
    const watchdog = new ConnectionWatchdog(T, 0);
    const actions = run(watchdog, 0, 12_000, () => connecting);
    expect([...actions]).toEqual([[10_500, 'close']]);
  });

  it('does not judge the silence of a page whose timers were throttled: it probes instead', () => {
    const watchdog = openedAtZero();
    // A hidden tab: one tick a minute, the server's last message long ago.
    expect(watchdog.tick(60_000, connected)).toBe('probe');
    expect(watchdog.tick(120_000, connected)).toBe('probe');
    // Visible again: ticks resume, and an answered probe keeps the socket.
    watchdog.heard(120_050);
    const actions = run(watchdog, 120_000, 125_000);
    expect([...actions.values()]).not.toContain('close');
  });

  it('does not time out a connection attempt across a suspended page', () => {
    const watchdog = new ConnectionWatchdog(T, 0);
    expect(watchdog.tick(500, connecting)).toBe('none');
    expect(watchdog.tick(60_000, connecting)).toBe('none');
    expect(run(watchdog, 60_000, 70_000, () => connecting).get(70_000)).toBe('close');
  });
});
