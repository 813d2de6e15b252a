import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';

/** Hocuspocus message types (the wire protocol), as far as these tests need them. */
export const Msg = { Sync: 0, Awareness: 1, Auth: 2, Close: 7, SyncStatus: 8 } as const;

export interface ReceivedFrame {
  documentName: string;
  type: number;
  /** For Auth frames: 1 = permission denied, 2 = authenticated. */
  authType?: number;
  /** For Auth frames: the scope or the denial reason; for Close frames: the reason. */
  text?: string;
  /** For Sync frames: 0 = SyncStep1 (the server asks for what it lacks), 1 = SyncStep2, 2 = update. */
  step?: number;
}

/**
 * A hand-driven websocket speaking the Hocuspocus protocol, to send what no well-behaved
 * provider would: garbage, oversized frames, someone else's awareness.
 */
export class RawClient {
  readonly frames: ReceivedFrame[] = [];
  closeCode: number | undefined;
  readonly closed: Promise<number>;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => this.frames.push(decodeFrame(new Uint8Array(data))));
    this.closed = new Promise((resolve) =>
      ws.on('close', (code) => {
        this.closeCode = code;
        resolve(code);
      }),
    );
  }

  static open(url: string, headers: Record<string, string> = {}): Promise<RawClient> {
    const ws = new WebSocket(url, { headers });
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new RawClient(ws)));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      ws.once('error', reject);
    });
  }

  send(bytes: Uint8Array): void {
    this.ws.send(bytes);
  }

  authenticate(documentName: string, token = ''): void {
    this.send(
      frame(documentName, Msg.Auth, (e) => {
        encoding.writeVarUint(e, 0);
        encoding.writeVarString(e, token);
      }),
    );
  }

  /** Sends a Yjs update (sync message, step `update`) for a document. */
  sendUpdate(documentName: string, update: Uint8Array): void {
    this.send(
      frame(documentName, Msg.Sync, (e) => {
        encoding.writeVarUint(e, 2);
        encoding.writeVarUint8Array(e, update);
      }),
    );
  }

  /** The reason of the first close message received for a document, once it arrives. */
  closeReason(documentName: string): string | undefined {
    return this.frames.find((f) => f.type === Msg.Close && f.documentName === documentName)?.text;
  }

  sendAwareness(documentName: string, update: Uint8Array): void {
    this.send(frame(documentName, Msg.Awareness, (e) => encoding.writeVarUint8Array(e, update)));
  }

  close(): void {
    this.ws.close();
  }
}

export function frame(documentName: string, type: number, body: (e: encoding.Encoder) => void): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarString(e, documentName);
  encoding.writeVarUint(e, type);
  body(e);
  return encoding.toUint8Array(e);
}

function decodeFrame(bytes: Uint8Array): ReceivedFrame {
  const d = decoding.createDecoder(bytes);
  const documentName = decoding.readVarString(d);
  const type = decoding.readVarUint(d);
  if (type === Msg.Close)
    return { documentName, type, ...(decoding.hasContent(d) ? { text: decoding.readVarString(d) } : {}) };
  if (type === Msg.Sync) return { documentName, type, step: decoding.readVarUint(d) };
  if (type !== Msg.Auth) return { documentName, type };
  const authType = decoding.readVarUint(d);
  const text = decoding.hasContent(d) ? decoding.readVarString(d) : undefined;
  return { documentName, type, authType, ...(text === undefined ? {} : { text }) };
}
