import { CloseCode, MESSAGE_TOO_BIG, UpdateRefusal } from '@essaim/protocol';

/**
 * Why the server refused a change made in this page, as the person is told:
 * - `too-large`: one message (one change, or everything typed offline sent at once) is over the
 *   server's `MAX_MESSAGE_BYTES`;
 * - `document-full`: the change would take the document past `MAX_DOCUMENT_BYTES`;
 * - `invalid`: the change does not decode, or writes what the shared editor never writes.
 */
export type RefusalKind = 'too-large' | 'document-full' | 'invalid';

/** A refusal of this page's changes. */
export interface UpdateRefused {
  kind: RefusalKind;
  /** How many refusals this page met so far (1 the first time): more means undoing was not enough. */
  count: number;
}

/**
 * What the server's close says about this page's changes, or null when it says nothing of them
 * (network loss, server restart, access withdrawn). Two shapes reach the provider's `close` event:
 * - the whole socket closed: `ws` closes with 1009 on a frame over `maxPayload`, the server with
 *   4413 (too large), 4422 (update refused) or 4400 (a frame that does not decode);
 * - one document closed on an open socket (a Hocuspocus close message): the provider reports code
 *   1000 and the server's reason, one of {@link UpdateRefusal}.
 * Source of the codes and reasons: packages/protocol/src/closeCodes.ts.
 */
export function refusalKindOf(event: { code?: unknown; reason?: unknown } | undefined): RefusalKind | null {
  if (!event) return null;
  switch (event.reason) {
    case UpdateRefusal.DocumentTooLarge:
      return 'document-full';
    case UpdateRefusal.UpdateTooLarge:
      return 'too-large';
    case UpdateRefusal.Malformed:
    case UpdateRefusal.Invalid:
      return 'invalid';
  }
  switch (event.code) {
    case MESSAGE_TOO_BIG:
    case CloseCode.TooLarge:
      return 'too-large';
    case CloseCode.UpdateRefused:
    case CloseCode.BadMessage:
      return 'invalid';
  }
  return null;
}

/**
 * The refusal state of one open document, for React (`useSyncExternalStore`) and the session.
 * A refused change stays in the Y.Doc and its IndexedDB copy: the provider would send it again at
 * every reconnection, to be refused again, forever. So a refusal stops the connection
 * (`stopConnecting`), and only the person reconnects (`reconnect`), once the change is undone.
 */
export class UpdateRefusals {
  private current: UpdateRefused | null = null;
  private readonly listeners = new Set<() => void>();

  /**
   * `counter` counts the refusals of the page, kept by the caller when it replaces this state
   * (a new session after reconnecting).
   */
  constructor(
    private readonly stopConnecting: () => void,
    private readonly startConnecting: () => void,
    private readonly counter: { current: number } = { current: 0 },
  ) {}

  /** The refusal being shown, or null while changes flow. */
  readonly get = (): UpdateRefused | null => this.current;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** True while a refusal holds the connection closed: nothing may reconnect by itself. */
  get holding(): boolean {
    return this.current !== null;
  }

  /** The server refused a change: stop connecting and say so. */
  refuse(kind: RefusalKind): void {
    this.stopConnecting();
    this.counter.current += 1;
    this.current = { kind, count: this.counter.current };
    this.notify();
  }

  /** The person undid the change (or wants to try again): connect, and hear the server's answer. */
  readonly reconnect = (): void => {
    if (this.current === null) return;
    this.current = null;
    this.notify();
    this.startConnecting();
  };

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}
