import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

/** Hocuspocus's message type of a presence (awareness) update: `MessageType.Awareness`. */
const AWARENESS_MESSAGE = 1;

/**
 * Shortest time (ms) between two presence updates of one socket for one document that the server
 * takes in; what arrives sooner is merged into the next one. 50 ms: a caret moves at most 20 times
 * a second for the others, under what the eye follows as smooth (a keystroke at 10 characters a
 * second still moves it every time).
 */
export const PRESENCE_INTERVAL_MS = 50;

/** Clients one held presence update may gather; one more sends it at once. */
export const PRESENCE_MAX_HELD_CLIENTS = 64;

/** Documents whose last presence time a socket keeps; beyond, times older than the interval are dropped. */
const MAX_TRACKED_DOCUMENTS = 64;

interface PresenceEntry {
  clock: number;
  /** The state as its JSON text (`null` for a removal), never parsed here. */
  state: string;
}

interface DocumentPresence {
  /** When the last presence update of this document was handed on (ms, `now()`). */
  lastHandedAt: number;
  /** Entries waiting for the end of the interval, by client id; null when nothing waits. */
  held: Map<number, PresenceEntry> | null;
  timer: ReturnType<typeof setTimeout> | null;
}

/** A decoded presence message: its document and its entries. */
interface PresenceMessage {
  documentName: string;
  entries: Map<number, PresenceEntry>;
}

/**
 * Reads a Hocuspocus awareness message (`[documentName][1][awareness update]`), or null when the
 * message is of another type or does not decode (then it goes its usual way, where Hocuspocus and
 * the message guard judge it).
 */
export function readPresenceMessage(message: Uint8Array): PresenceMessage | null {
  try {
    const decoder = decoding.createDecoder(message);
    const documentName = decoding.readVarString(decoder);
    if (decoding.readVarUint(decoder) !== AWARENESS_MESSAGE) return null;
    const update = decoding.createDecoder(decoding.readVarUint8Array(decoder));
    if (decoding.hasContent(decoder)) return null;
    const entries = new Map<number, PresenceEntry>();
    const count = decoding.readVarUint(update);
    for (let i = 0; i < count; i++) {
      const clientId = decoding.readVarUint(update);
      const clock = decoding.readVarUint(update);
      const state = decoding.readVarString(update);
      const known = entries.get(clientId);
      if (!known || clock >= known.clock) entries.set(clientId, { clock, state });
    }
    if (decoding.hasContent(update)) return null;
    return { documentName, entries };
  } catch {
    return null;
  }
}

/**
 * The document of a Hocuspocus awareness message whose frame reads whole (name, type, and an
 * update filling the rest), its entries left unread; null for a message of another type (its
 * document name is then not even decoded) or a frame that does not read. Decoding the entries
 * ({@link readPresenceMessage}) is needed only to merge a held update: most presence updates are
 * handed on as they came, and every update message passes here too.
 */
export function presenceDocumentOf(message: Uint8Array): string | null {
  try {
    const decoder = decoding.createDecoder(message);
    const nameLength = decoding.readVarUint(decoder);
    decoder.pos += nameLength;
    if (decoder.pos >= message.length) return null;
    if (decoding.readVarUint(decoder) !== AWARENESS_MESSAGE) return null;
    const length = decoding.readVarUint(decoder);
    if (decoder.pos + length !== message.length) return null;
    return decoding.readVarString(decoding.createDecoder(message));
  } catch {
    return null;
  }
}

/** Encodes one Hocuspocus awareness message for `documentName` holding `entries`. */
export function writePresenceMessage(documentName: string, entries: Map<number, PresenceEntry>): Uint8Array {
  const update = encoding.createEncoder();
  encoding.writeVarUint(update, entries.size);
  for (const [clientId, { clock, state }] of entries) {
    encoding.writeVarUint(update, clientId);
    encoding.writeVarUint(update, clock);
    encoding.writeVarString(update, state);
  }
  const message = encoding.createEncoder();
  encoding.writeVarString(message, documentName);
  encoding.writeVarUint(message, AWARENESS_MESSAGE);
  encoding.writeVarUint8Array(message, encoding.toUint8Array(update));
  return encoding.toUint8Array(message);
}

/**
 * The presence budget of one socket (issue 17): at most one presence update per document every
 * `intervalMs` is handed to Hocuspocus, which relays each one to every other connection of the
 * document. Updates that come sooner are merged (per client, the highest clock wins, as y-protocols
 * applies them) and handed on at the end of the interval, so the others always end on the latest
 * caret and nothing is refused: a client moving its caret 4,500 times a second costs the server and
 * the document's readers 20 relays a second instead of 4,500.
 *
 * Other messages never wait here. What is still held when the socket closes is dropped: closing
 * removes the person's presence anyway.
 */
export class PresenceCoalescer {
  private readonly documents = new Map<string, DocumentPresence>();
  private stopped = false;

  /**
   * @param handOn gives a message to Hocuspocus (it must not throw: the caller catches)
   * @param intervalMs see {@link PRESENCE_INTERVAL_MS}
   * @param now clock in ms (tests)
   */
  constructor(
    private readonly handOn: (message: Uint8Array) => void,
    private readonly intervalMs = PRESENCE_INTERVAL_MS,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /**
   * Takes `message` when it is a presence update: hands it on at once, or holds it for the end of
   * the interval. Returns false for any other message (and after {@link stop}): the caller hands it on.
   */
  offer(message: Uint8Array): boolean {
    if (this.stopped) return false;
    const documentName = presenceDocumentOf(message);
    if (documentName === null) return false;
    let document = this.documents.get(documentName);
    const now = this.now();
    if (!document) {
      this.forgetIdle(now);
      // Names no document of this socket answers to are refused by Hocuspocus, unrelayed: no budget.
      if (this.documents.size >= MAX_TRACKED_DOCUMENTS) return false;
      document = { lastHandedAt: -Infinity, held: null, timer: null };
      this.documents.set(documentName, document);
    }
    if (document.held === null && now - document.lastHandedAt >= this.intervalMs) {
      document.lastHandedAt = now;
      this.handOn(message);
      return true;
    }
    // Held: its entries are read only now, to be merged (an update that does not decode goes its
    // usual way, where Hocuspocus and the message guard judge it).
    const presence = readPresenceMessage(message);
    if (!presence) return false;
    const { entries } = presence;
    const held = (document.held ??= new Map());
    for (const [clientId, entry] of entries) {
      const known = held.get(clientId);
      if (!known || entry.clock >= known.clock) held.set(clientId, entry);
    }
    if (held.size > PRESENCE_MAX_HELD_CLIENTS) {
      this.handOnHeld(documentName, document);
      return true;
    }
    if (!document.timer) {
      const wait = Math.max(0, document.lastHandedAt + this.intervalMs - now);
      const target = document;
      document.timer = setTimeout(() => this.handOnHeld(documentName, target), wait);
      document.timer.unref?.();
    }
    return true;
  }

  /** Drops what is held and takes nothing more (the socket closed). */
  stop(): void {
    this.stopped = true;
    for (const document of this.documents.values()) if (document.timer) clearTimeout(document.timer);
    this.documents.clear();
  }

  /** Presence updates held now, all documents together (tests, diagnostics). */
  get heldCount(): number {
    let count = 0;
    for (const document of this.documents.values()) if (document.held) count += 1;
    return count;
  }

  private handOnHeld(documentName: string, document: DocumentPresence): void {
    if (document.timer) clearTimeout(document.timer);
    document.timer = null;
    const held = document.held;
    document.held = null;
    if (this.stopped || !held) return;
    document.lastHandedAt = this.now();
    this.handOn(writePresenceMessage(documentName, held));
  }

  /** A socket naming many documents keeps only the recent ones (a name costs a few bytes, not unbounded). */
  private forgetIdle(now: number): void {
    if (this.documents.size < MAX_TRACKED_DOCUMENTS) return;
    for (const [name, document] of this.documents) {
      if (!document.held && now - document.lastHandedAt >= this.intervalMs) this.documents.delete(name);
    }
  }
}
