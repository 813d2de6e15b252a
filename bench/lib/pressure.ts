import fs from 'node:fs';
import os from 'node:os';

/**
 * How much the rest of the machine disturbed a run. The machine is shared (other people build and
 * test on it), so every run records the Linux CPU and IO pressure it saw: the share of wall time
 * during which some task was waiting for a CPU (or for IO).
 */
export interface Disturbance {
  cpuSomePercent: number | null;
  ioSomePercent: number | null;
  loadAverage1m: number;
}

function stallTotalUs(kind: 'cpu' | 'io'): number | null {
  try {
    const text = fs.readFileSync(`/proc/pressure/${kind}`, 'utf8');
    const match = /^some .*total=(\d+)/m.exec(text);
    return match?.[1] ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

export function watchPressure(): { stop(): Disturbance } {
  const t0 = performance.now();
  const cpu0 = stallTotalUs('cpu');
  const io0 = stallTotalUs('io');
  return {
    stop() {
      const elapsedUs = (performance.now() - t0) * 1000;
      const cpu1 = stallTotalUs('cpu');
      const io1 = stallTotalUs('io');
      const share = (a: number | null, b: number | null): number | null =>
        a === null || b === null || elapsedUs <= 0 ? null : Math.round(((b - a) / elapsedUs) * 1000) / 10;
      return {
        cpuSomePercent: share(cpu0, cpu1),
        ioSomePercent: share(io0, io1),
        loadAverage1m: Math.round((os.loadavg()[0] ?? 0) * 100) / 100,
      };
    },
  };
}

/** The kernel's 10-second average of CPU pressure ("some"), in percent; null where unavailable. */
export function cpuPressureAvg10(): number | null {
  try {
    const match = /^some avg10=([\d.]+)/m.exec(fs.readFileSync('/proc/pressure/cpu', 'utf8'));
    return match?.[1] ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/**
 * Waits (at most `maxSeconds`) for the machine to calm down: CPU pressure under `threshold` percent
 * over the last 10 s. Returns the pressure seen when it starts.
 */
export async function waitForQuietMachine(maxSeconds: number, threshold = 25): Promise<number | null> {
  const deadline = performance.now() + maxSeconds * 1000;
  let pressure = cpuPressureAvg10();
  while (pressure !== null && pressure > threshold && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    pressure = cpuPressureAvg10();
  }
  return pressure;
}
