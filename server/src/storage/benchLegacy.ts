/**
 * The storage behaviour before issue 17, for `bench/manyDocuments.ts`'s same-run reference only:
 * with `ESSAIM_BENCH_LEGACY_STORAGE=1` in the server's environment, every debounced store compacts
 * and indexes in the turn that triggers it (no background queue, no deferred compaction), the WAL
 * checkpoints are PASSIVE only, and no `journal_size_limit` is set. It is read from the process
 * environment here, not from `config.ts`, because the checkpointer and `openDatabase` are built
 * before any configuration reaches them; it is not a setting: users never run with it.
 */
export function legacyStorageForBench(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.ESSAIM_BENCH_LEGACY_STORAGE === '1';
}
