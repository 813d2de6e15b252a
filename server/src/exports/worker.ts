/**
 * An export worker (node:worker_threads): runs export jobs one at a time, off the server's event
 * loop, asking it back for images and links (`job.ts`). pdfmake, the fonts and the converters
 * load once per worker and stay loaded between jobs. Started by `pool.ts`; messages are typed by
 * {@link ToWorker} and {@link FromWorker}.
 */
import { parentPort } from 'node:worker_threads';
import { runExportJob, type ExportAnswer, type ExportJob, type ExportQuestion } from './job.js';

/** A message from the event loop to a worker. */
export type ToWorker =
  | { type: 'run'; job: number; input: ExportJob }
  | { type: 'answer'; job: number; question: number; answer: ExportAnswer };

/** A message from a worker to the event loop. */
export type FromWorker =
  | { type: 'ask'; job: number; question: number; ask: ExportQuestion }
  | { type: 'done'; job: number; body: Uint8Array; title: string }
  | { type: 'failed'; job: number; message: string };

const port = parentPort;
if (port) {
  const pending = new Map<number, (answer: ExportAnswer) => void>();
  let questions = 0;
  const post = (message: FromWorker, transfer: ArrayBuffer[] = []): void =>
    port.postMessage(message, transfer);

  port.on('message', (message: ToWorker) => {
    if (message.type === 'answer') {
      pending.get(message.question)?.(message.answer);
      pending.delete(message.question);
      return;
    }
    const { job } = message;
    const ask = <Q extends ExportQuestion>(question: Q): Promise<ExportAnswer<Q>> =>
      new Promise((resolve) => {
        const id = ++questions;
        pending.set(id, resolve as (answer: ExportAnswer) => void);
        post({ type: 'ask', job, question: id, ask: question });
      });
    runExportJob(message.input, ask).then(
      ({ body, title }) => {
        // The bytes move to the event loop without a copy when they own their whole buffer
        // (a small Buffer may sit in Node's shared pool: that one is copied).
        const own =
          body.byteOffset === 0 && body.byteLength === body.buffer.byteLength ? body : new Uint8Array(body);
        post({ type: 'done', job, body: own, title }, [own.buffer as ArrayBuffer]);
      },
      (error: unknown) =>
        post({ type: 'failed', job, message: error instanceof Error ? error.message : String(error) }),
    );
  });
}
