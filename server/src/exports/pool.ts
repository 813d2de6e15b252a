import fs from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { DomainError, rateLimited } from '@essaim/domain';
import type { ExportAnswer, ExportJob, ExportQuestion } from './job.js';
import type { FromWorker, ToWorker } from './worker.js';

/** Bounds of the export workers. */
export interface ExportPoolLimits {
  /** Workers running jobs at once: one on a machine of two cores or fewer, else two. */
  workers: number;
  /** Jobs waiting for a worker (default 16); one more is refused (`rate_limited`, 429). */
  maxQueued: number;
  /** A job running longer is stopped, its worker ended (default 5 minutes): `payload_too_large`. */
  jobTimeoutMs: number;
  /** A worker left without a job this long ends (default 30 s); the next job starts another. */
  idleMs: number;
}

/** Defaults of {@link ExportPoolLimits}; the README gives the same figures. */
export const defaultExportPoolLimits: ExportPoolLimits = {
  workers: availableParallelism() <= 2 ? 1 : 2,
  maxQueued: 16,
  jobTimeoutMs: 5 * 60_000,
  idleMs: 30_000,
};

/** Seconds a refused export is told to wait (`Retry-After`). */
export const EXPORT_RETRY_AFTER_SECONDS = 30;

/** A finished export: its bytes (moved from the worker, not copied) and its title. */
export interface ExportOutput {
  body: Buffer;
  title: string;
}

/** Answers a worker's questions on the event loop (images, links); a throw counts as no answer. */
export type Answerer = (question: ExportQuestion) => Promise<ExportAnswer>;

interface Task {
  input: ExportJob;
  answer: Answerer;
  resolve(result: ExportOutput): void;
  reject(error: unknown): void;
}

interface Slot {
  worker: Worker;
  job: { id: number; task: Task; timer: NodeJS.Timeout } | null;
  idle: NodeJS.Timeout | null;
}

/**
 * How to start a worker: the built `worker.js` beside this file (`npm start`: server/dist), or,
 * from the TypeScript sources (tests, `npm run dev`, benchmarks run with tsx), `worker.ts`
 * loaded through tsx's loader with the sources' export condition (`@essaim/source`), as the
 * event loop loads them.
 */
function workerEntry(): { filename: string | URL; options: WorkerOptions } {
  const built = new URL('./worker.js', import.meta.url);
  if (fs.existsSync(fileURLToPath(built))) return { filename: built, options: {} };
  const source = new URL('./worker.ts', import.meta.url);
  const tsx = createRequire(import.meta.url)
    .resolve('tsx/esm/api')
    .replace(/\.cjs$/, '.mjs');
  const code =
    `import(${JSON.stringify(pathToFileURL(tsx).href)})` +
    `.then((tsx) => { tsx.register(); return import(${JSON.stringify(source.href)}); });`;
  return { filename: code, options: { eval: true, execArgv: ['--conditions=@essaim/source'] } };
}

/**
 * The export workers (issue 14; the tester's fault of issue 13: a 6 MB fiche's export held the
 * whole server 91 s). Every conversion runs in a worker thread, so the event loop only passes
 * messages: the job in, images and links asked back, the bytes out (transferred, not copied).
 * {@link ExportPoolLimits.workers} run at once, {@link ExportPoolLimits.maxQueued} wait; beyond,
 * `run` refuses (`rate_limited`, « Réessayez dans quelques instants », Retry-After
 * {@link EXPORT_RETRY_AFTER_SECONDS}). Workers start on demand, keep pdfmake and the fonts loaded
 * between jobs, end when idle, and never keep the process alive (`unref`). A worker that fails
 * or runs out of time is replaced: only its job fails.
 */
export class ExportPool {
  private readonly limits: ExportPoolLimits;
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private jobs = 0;

  constructor(limits: Partial<ExportPoolLimits> = {}) {
    this.limits = { ...defaultExportPoolLimits, ...limits };
  }

  /**
   * Runs a job in a worker; `answer` answers its questions meanwhile. `wait: true` queues it
   * whatever the queue's length, for callers that bound their own jobs (the kit: one at a time).
   * @throws DomainError `rate_limited` when the queue is full, `payload_too_large` when the job
   *   runs past {@link ExportPoolLimits.jobTimeoutMs}; Error when the conversion fails.
   */
  async run(input: ExportJob, answer: Answerer, options: { wait?: boolean } = {}): Promise<ExportOutput> {
    const free = this.slots.some((s) => !s.job) || this.slots.length < this.limits.workers;
    if (!options.wait && !free && this.queue.length >= this.limits.maxQueued)
      throw rateLimited(
        'Trop de téléchargements sont en préparation. Réessayez dans quelques instants.',
        EXPORT_RETRY_AFTER_SECONDS,
      );
    return new Promise<ExportOutput>((resolve, reject) => {
      this.queue.push({ input, answer, resolve, reject });
      this.pump();
    });
  }

  /** Jobs running and waiting, and workers started: what the pool holds now. */
  stats(): { running: number; queued: number; workers: number } {
    return {
      running: this.slots.filter((s) => s.job).length,
      queued: this.queue.length,
      workers: this.slots.length,
    };
  }

  /** Ends every worker; running and waiting jobs fail. */
  async close(): Promise<void> {
    for (const task of this.queue.splice(0)) task.reject(new Error('exports arrêtés'));
    await Promise.all([...this.slots].map((slot) => this.end(slot, new Error('exports arrêtés'))));
  }

  private pump(): void {
    while (this.queue.length > 0) {
      let slot = this.slots.find((s) => !s.job);
      if (!slot) {
        if (this.slots.length >= this.limits.workers) return;
        slot = this.spawn();
      }
      const task = this.queue.shift();
      if (task) this.start(slot, task);
    }
  }

  private spawn(): Slot {
    const { filename, options } = workerEntry();
    const worker = new Worker(filename, options);
    // Waiting jobs keep their own promises; an idle worker never holds the process open.
    worker.unref();
    const slot: Slot = { worker, job: null, idle: null };
    worker.on('message', (message: FromWorker) => this.received(slot, message));
    worker.on('error', (error) => void this.end(slot, error));
    worker.on('exit', (code) => void this.end(slot, new Error(`worker d’export arrêté (code ${code})`)));
    this.slots.push(slot);
    return slot;
  }

  private start(slot: Slot, task: Task): void {
    if (slot.idle) clearTimeout(slot.idle);
    slot.idle = null;
    const id = ++this.jobs;
    const timer = setTimeout(
      () =>
        void this.end(
          slot,
          new DomainError(
            'payload_too_large',
            'Ce document est trop long pour être exporté dans ce format : le téléchargement a été arrêté.',
          ),
        ),
      this.limits.jobTimeoutMs,
    );
    timer.unref();
    slot.job = { id, task, timer };
    const message: ToWorker = { type: 'run', job: id, input: task.input };
    slot.worker.postMessage(message);
  }

  private received(slot: Slot, message: FromWorker): void {
    const job = slot.job;
    if (!job || job.id !== message.job) return;
    if (message.type === 'ask') {
      const fallback: ExportAnswer = message.ask.kind === 'image' ? null : [];
      job.task
        .answer(message.ask)
        .catch(() => fallback)
        .then((answer) => {
          if (slot.job?.id !== job.id) return;
          const reply: ToWorker = { type: 'answer', job: job.id, question: message.question, answer };
          slot.worker.postMessage(reply);
        })
        .catch(() => undefined);
      return;
    }
    clearTimeout(job.timer);
    slot.job = null;
    if (message.type === 'done') {
      const { body } = message;
      job.task.resolve({
        body: Buffer.from(body.buffer, body.byteOffset, body.byteLength),
        title: message.title,
      });
    } else job.task.reject(new Error(message.message));
    this.idle(slot);
    this.pump();
  }

  /** Ends a worker idle for {@link ExportPoolLimits.idleMs}. */
  private idle(slot: Slot): void {
    if (slot.job || this.queue.length > 0) return;
    slot.idle = setTimeout(() => void this.end(slot, null), this.limits.idleMs);
    slot.idle.unref();
  }

  /** Removes a worker (ended, failed or timed out): its job fails with `error`; the queue goes on. */
  private async end(slot: Slot, error: unknown): Promise<void> {
    const index = this.slots.indexOf(slot);
    if (index < 0) return;
    this.slots.splice(index, 1);
    if (slot.idle) clearTimeout(slot.idle);
    const job = slot.job;
    slot.job = null;
    if (job) {
      clearTimeout(job.timer);
      job.task.reject(error ?? new Error('worker d’export arrêté'));
    }
    this.pump();
    await slot.worker.terminate();
  }
}

let shared: ExportPool | null = null;

/**
 * The process's export workers, shared by every server of the process (they share its cores):
 * started on the first export.
 */
export function sharedExportPool(): ExportPool {
  shared ??= new ExportPool();
  return shared;
}
