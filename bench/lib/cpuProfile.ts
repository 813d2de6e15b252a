import { Session } from 'node:inspector/promises';
import type { ProfileEntry } from './pageTiming.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
}

interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
}

/** Where the time of a profiled piece of work went: by function (self), and by file (self). */
export interface ProfileSummary {
  /** Sampled wall time of the profile, ms. */
  totalMs: number;
  /** The heaviest functions by self time (ms, summed over every node of the same function). */
  functions: ProfileEntry[];
  /** Self time summed per source file (package path shortened), heaviest first. */
  files: { file: string; selfMs: number }[];
}

const shortFile = (url: string): string => {
  const path = url.replace(/^file:\/\//, '');
  const modules = path.lastIndexOf('node_modules/');
  if (modules >= 0) return path.slice(modules + 'node_modules/'.length);
  const here = `${process.cwd()}/`;
  return path.startsWith(here) ? path.slice(here.length) : path;
};

/**
 * Runs `work` under V8's sampling profiler in this process (the inspector protocol, 100 µs
 * interval; the server under test runs here too) and returns where its time went: the `top`
 * functions by self time and the self time per file. The idle and GC pseudo-functions are kept.
 */
export async function profileInProcess(work: () => Promise<void>, top = 20): Promise<ProfileSummary> {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 100 });
    await session.post('Profiler.start');
    let failure: { error: unknown } | null = null;
    try {
      await work();
    } catch (error) {
      failure = { error };
    }
    const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: Profile };
    if (failure) throw failure.error;
    return summarizeProfile(profile, top);
  } finally {
    session.disconnect();
  }
}

function summarizeProfile(profile: Profile, top: number): ProfileSummary {
  const hits = new Map<number, number>();
  for (const id of profile.samples ?? []) hits.set(id, (hits.get(id) ?? 0) + 1);
  const samples = profile.samples?.length ?? 0;
  const totalMs = (profile.endTime - profile.startTime) / 1000;
  const msPerSample = samples > 0 ? totalMs / samples : 0;
  const byFunction = new Map<string, ProfileEntry>();
  const byFile = new Map<string, number>();
  for (const node of profile.nodes) {
    const { functionName, url, lineNumber, columnNumber } = node.callFrame;
    const ms = (hits.get(node.id) ?? 0) * msPerSample;
    if (ms === 0) continue;
    const name = functionName || '(anonyme)';
    const file = url ? shortFile(url) : '';
    const where = file ? `${file}:${lineNumber + 1}:${columnNumber + 1}` : '';
    const key = `${name} ${where}`;
    const entry = byFunction.get(key) ?? { selfMs: 0, name, where };
    entry.selfMs += ms;
    byFunction.set(key, entry);
    const fileKey = file || name;
    byFile.set(fileKey, (byFile.get(fileKey) ?? 0) + ms);
  }
  const round1 = (ms: number): number => Math.round(ms * 10) / 10;
  return {
    totalMs: round1(totalMs),
    functions: [...byFunction.values()]
      .sort((a, b) => b.selfMs - a.selfMs)
      .slice(0, top)
      .map((e) => ({ ...e, selfMs: round1(e.selfMs) })),
    files: [...byFile.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([file, selfMs]) => ({ file, selfMs: round1(selfMs) })),
  };
}
