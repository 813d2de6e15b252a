import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface TargetCheck {
  name: string;
  target: string;
  actual: string;
  met: boolean;
  /** A correctness check (same text everywhere), not a performance goal: missing it fails the run. */
  correctness?: boolean;
}

export interface BenchResult {
  name: string;
  date: string;
  machine: Machine;
  params: Record<string, unknown>;
  results: Record<string, unknown>;
  vanilla: Record<string, unknown>;
  /** essaim / vanilla for each compared quantity. */
  ratio: Record<string, number>;
  targets: TargetCheck[];
  /** Durations, findings and anything that went wrong, in plain words. */
  notes: string[];
}

export interface Machine {
  cpus: number;
  cpuModel: string;
  node: string;
  platform: string;
  totalMemoryMiB: number;
  /** Which build of the server ran: TypeScript sources (`@essaim/source`) or the compiled dist. */
  serverBuild: 'source' | 'dist';
}

export const resultsDir = fileURLToPath(new URL('../results/', import.meta.url));

export function machine(): Machine {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    node: process.version,
    platform: `${process.platform} ${os.release()}`,
    totalMemoryMiB: Math.round(os.totalmem() / 2 ** 20),
    serverBuild: import.meta.resolve('@essaim/server').includes('/src/') ? 'source' : 'dist',
  };
}

export function writeResult(result: BenchResult): string {
  fs.mkdirSync(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `${result.name}.json`);
  fs.writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}

/** Prints the part of a result a person reads: the targets and the ratios. */
export function printSummary(result: BenchResult, file: string): void {
  const lines = [`\n== ${result.name} ==`];
  for (const t of result.targets) {
    lines.push(`  ${t.met ? 'OK  ' : 'MISS'} ${t.name}: ${t.actual} (cible ${t.target})`);
  }
  const ratios = Object.entries(result.ratio).map(([k, v]) => `${k}=${v}`);
  if (ratios.length > 0) lines.push(`  essaim/vanilla: ${ratios.join(', ')}`);
  for (const note of result.notes) lines.push(`  note: ${note}`);
  lines.push(`  -> ${path.relative(process.cwd(), file)}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** Progress on stderr, so stdout stays the summary. */
export function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

export const mib = (bytes: number): number => Math.round((bytes / 2 ** 20) * 10) / 10;
