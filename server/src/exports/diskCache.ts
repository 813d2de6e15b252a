import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** Bounds of a {@link DiskCache}. */
export interface DiskCacheLimits {
  /** Total size of the cached files, in bytes. */
  maxBytes: number;
  /** Number of cached files. */
  maxFiles: number;
}

/** A cached file, kept (never evicted) until {@link CachedFile.release} is called. */
export interface CachedFile {
  path: string;
  /** Bytes. */
  size: number;
  /** Lets the cache delete the file again: call it once, when done reading; later calls do nothing. */
  release(): void;
}

interface Entry {
  size: number;
  /** Order of last use (higher is more recent). */
  used: number;
}

/**
 * Files kept in one folder under names the caller chooses (matching `names`), bounded in total
 * size and count: beyond either bound, the files used least recently are deleted, never one that
 * is held ({@link acquire} until released) nor the one just added. The order of use survives
 * restarts through the files' modification times (touched at each use). Files are written to a
 * temporary name, then renamed: a reader never sees a partial file, and temporary files left by
 * an interrupted process are deleted when the folder is first read.
 *
 * The kits d'essaimage (`DATA_DIR/cache/kits`) and the publications' exports
 * (`DATA_DIR/cache/exports`) are each one such cache.
 */
export class DiskCache {
  private index: Promise<Map<string, Entry>> | null = null;
  private readonly pins = new Map<string, number>();
  private clock = 0;

  /**
   * @param dir the folder (created when first needed), the cache's own.
   * @param names the names of cached files; other files there are left alone, but `*.tmp` ones.
   */
  constructor(
    readonly dir: string,
    private readonly names: RegExp,
    private readonly limits: DiskCacheLimits,
  ) {}

  /** Where the file `name` is (or would be). */
  pathOf(name: string): string {
    return path.join(this.dir, name);
  }

  /** The cached files and their sizes in bytes, read from the folder the first time. */
  async sizes(): Promise<ReadonlyMap<string, { readonly size: number }>> {
    return this.load();
  }

  /** Marks `name` as just used (it is evicted last), if it is cached. */
  touch(name: string): void {
    void this.load().then((index) => {
      const entry = index.get(name);
      if (entry) entry.used = ++this.clock;
    });
  }

  /**
   * The cached file `name`, held until released, or null when it is not cached (or was deleted
   * behind the cache's back: it is then forgotten).
   */
  async acquire(name: string): Promise<CachedFile | null> {
    const index = await this.load();
    const entry = index.get(name);
    if (!entry) return null;
    const file = this.pathOf(name);
    if (!(await fs.promises.stat(file).catch(() => null))) {
      if (index.get(name) === entry) index.delete(name);
      return null;
    }
    entry.used = ++this.clock;
    void fs.promises.utimes(file, new Date(), new Date()).catch(() => undefined);
    this.pins.set(name, (this.pins.get(name) ?? 0) + 1);
    let released = false;
    return {
      path: file,
      size: entry.size,
      release: () => {
        if (released) return;
        released = true;
        const left = (this.pins.get(name) ?? 1) - 1;
        if (left > 0) this.pins.set(name, left);
        else this.pins.delete(name);
      },
    };
  }

  /** A fresh temporary file name for `name`, in the cache's folder (which exists once this resolves). */
  async temporary(name: string): Promise<string> {
    await this.load();
    return `${this.pathOf(name)}.${randomBytes(6).toString('hex')}.tmp`;
  }

  /**
   * Renames `temporary` (from {@link temporary}, complete) to `name`, records it as just used and
   * applies the bounds (it is kept). Returns its size in bytes.
   */
  async add(name: string, temporary: string): Promise<number> {
    const index = await this.load();
    const file = this.pathOf(name);
    await fs.promises.rename(temporary, file);
    const { size } = await fs.promises.stat(file);
    index.set(name, { size, used: ++this.clock });
    await this.evict(index, name);
    return size;
  }

  /** Writes `bytes` as the file `name` (temporary file, then rename), then as {@link add}. */
  async write(name: string, bytes: Uint8Array): Promise<number> {
    const temporary = await this.temporary(name);
    try {
      await fs.promises.writeFile(temporary, bytes);
      return await this.add(name, temporary);
    } catch (error) {
      await fs.promises.rm(temporary, { force: true });
      throw error;
    }
  }

  /**
   * The index, read from the folder once: the cached files (least recently used first by
   * modification time), leftovers of interrupted writes deleted, the bounds applied.
   */
  private load(): Promise<Map<string, Entry>> {
    this.index ??= (async () => {
      await fs.promises.mkdir(this.dir, { recursive: true });
      const found: { name: string; size: number; mtime: number }[] = [];
      for (const name of await fs.promises.readdir(this.dir)) {
        const file = this.pathOf(name);
        if (!this.names.test(name)) {
          // The folder is the cache's own: a temporary file there is a write that never ended.
          if (name.endsWith('.tmp')) await fs.promises.rm(file, { force: true });
          continue;
        }
        const stat = await fs.promises.stat(file).catch(() => null);
        if (stat?.isFile()) found.push({ name, size: stat.size, mtime: stat.mtimeMs });
      }
      found.sort((a, b) => a.mtime - b.mtime);
      const index = new Map(found.map((f) => [f.name, { size: f.size, used: ++this.clock }] as const));
      await this.evict(index, null);
      return index;
    })();
    return this.index;
  }

  /** Deletes the least recently used files until the cache is within its bounds. */
  private async evict(index: Map<string, Entry>, keep: string | null): Promise<void> {
    let bytes = [...index.values()].reduce((sum, e) => sum + e.size, 0);
    const oldestFirst = [...index].sort(([, a], [, b]) => a.used - b.used);
    for (const [name, entry] of oldestFirst) {
      if (bytes <= this.limits.maxBytes && index.size <= this.limits.maxFiles) break;
      if (name === keep || this.pins.has(name) || index.get(name) !== entry) continue;
      index.delete(name);
      bytes -= entry.size;
      await fs.promises.rm(this.pathOf(name), { force: true });
    }
  }
}
