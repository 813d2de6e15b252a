import type { SocketState } from './context.js';

/**
 * The authenticated websockets of each account, so that one account cannot hold the server's
 * sockets (issue 17: one account opened 100 sockets on one document and flooded its presence,
 * slowing every other document down). A browser tab holds one socket per open document; a person
 * with every fiche of a working group open in tabs stays far below the default of 50.
 *
 * A socket counts for an account from the first document it authenticates for it until it closes
 * (however it closes); the documents it opens afterwards do not count again.
 */
export class AccountSockets {
  private readonly held = new Map<string, Set<SocketState>>();

  /** @param maxPerAccount sockets one account may hold at once; 0 means no limit. */
  constructor(private readonly maxPerAccount: number) {}

  /**
   * Counts `socket` for `userId`. Returns false, counting nothing, when the account already holds
   * `maxPerAccount` other sockets. A socket without a close hook (a server-side direct connection)
   * is never counted nor refused.
   */
  admit(userId: string, socket: SocketState): boolean {
    if (!socket.onClose) return true;
    let sockets = this.held.get(userId);
    if (sockets?.has(socket)) return true;
    if (this.maxPerAccount > 0 && (sockets?.size ?? 0) >= this.maxPerAccount) return false;
    if (!sockets) {
      sockets = new Set();
      this.held.set(userId, sockets);
    }
    sockets.add(socket);
    const own = sockets;
    socket.onClose(() => {
      own.delete(socket);
      if (own.size === 0 && this.held.get(userId) === own) this.held.delete(userId);
    });
    return true;
  }

  /** Sockets `userId` holds now. */
  heldBy(userId: string): number {
    return this.held.get(userId)?.size ?? 0;
  }
}
