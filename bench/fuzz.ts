import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { envInt } from './lib/env.js';
import { log, machine, type BenchResult } from './lib/report.js';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/** One fuzz file of `npm test`, run longer: the same test, more rounds, several seeds. */
interface FuzzRun {
  file: string;
  rounds: number;
  seeds: number[];
}

function runFuzz({ file, rounds, seeds }: FuzzRun): { seed: number; passed: boolean; seconds: number }[] {
  return seeds.map((seed) => {
    const started = performance.now();
    const result = spawnSync(
      process.execPath,
      ['node_modules/vitest/vitest.mjs', 'run', '--project', 'integration', file],
      {
        cwd: repoRoot,
        env: { ...process.env, FUZZ_SEED: String(seed), FUZZ_ROUNDS: String(rounds) },
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    const seconds = Math.round((performance.now() - started) / 100) / 10;
    const passed = result.status === 0;
    log(`${file} seed ${seed}, ${rounds} rounds: ${passed ? 'ok' : 'ÉCHEC'} (${seconds} s)`);
    if (!passed) process.stderr.write(`${result.stdout.slice(-4000)}\n${result.stderr.slice(-2000)}\n`);
    return { seed, passed, seconds };
  });
}

/**
 * (g) The two fuzz tests of `npm test`, run longer than the test suite can afford: the convergence
 * fuzz (issue 8: writers typing, splitting, cutting and joining paragraphs, pasting, undoing, moving sections through the server,
 * going offline) and the hostile-update fuzz (issue 9: mutated and hostile updates while an honest
 * writer types). Every seed must pass; a failure prints its seed, which `FUZZ_SEED` replays in the
 * test itself. Rounds and seeds: BENCH_FUZZ_ROUNDS, BENCH_HOSTILE_ROUNDS, BENCH_FUZZ_SEEDS.
 */
export async function run(): Promise<BenchResult> {
  const seedCount = envInt('BENCH_FUZZ_SEEDS', 5);
  const seeds = Array.from({ length: seedCount }, (_v, i) => 1000 + i);
  const convergence: FuzzRun = {
    file: 'tests/integration/convergenceFuzz.test.ts',
    rounds: envInt('BENCH_FUZZ_ROUNDS', 600),
    seeds,
  };
  const hostile: FuzzRun = {
    file: 'tests/integration/hostileFuzz.test.ts',
    rounds: envInt('BENCH_HOSTILE_ROUNDS', 2000),
    seeds,
  };
  const results = { convergence: runFuzz(convergence), hostile: runFuzz(hostile) };
  const summary = (name: string, run: FuzzRun, outcome: { passed: boolean }[]) => ({
    name,
    target: `${run.seeds.length} graines × ${run.rounds} tours sans écart`,
    actual: `${outcome.filter((o) => o.passed).length}/${outcome.length} graines réussies`,
    met: outcome.every((o) => o.passed),
    correctness: true,
  });
  return {
    name: 'fuzz',
    date: new Date().toISOString(),
    machine: machine(),
    params: {
      convergenceRounds: convergence.rounds,
      hostileRounds: hostile.rounds,
      seeds,
      writers: 3,
    },
    results,
    vanilla: {},
    ratio: {},
    targets: [
      summary(
        'convergence (répliques et SQLite égales, ids uniques, aucun mot perdu)',
        convergence,
        results.convergence,
      ),
      summary(
        'mises à jour hostiles (serveur debout, état stocké lisible, texte honnête intact)',
        hostile,
        results.hostile,
      ),
    ],
    notes: [],
  };
}
