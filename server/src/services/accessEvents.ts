/**
 * Changes that alter what someone may do right now. The collaborative server listens, so open
 * websockets are downgraded or closed at once instead of at their next reconnection.
 */
export class AccessEvents {
  private readonly userListeners: ((userId: string) => void)[] = [];
  private readonly sessionListeners: ((sessionIds: string[]) => void)[] = [];
  private readonly documentListeners: ((documentId: string) => void)[] = [];

  onUserChanged(listener: (userId: string) => void): void {
    this.userListeners.push(listener);
  }

  onSessionsRevoked(listener: (sessionIds: string[]) => void): void {
    this.sessionListeners.push(listener);
  }

  /** A role, an assignment or the account's state changed. */
  userChanged(userId: string): void {
    for (const listener of this.userListeners) listener(userId);
  }

  onDocumentChanged(listener: (documentId: string) => void): void {
    this.documentListeners.push(listener);
  }

  /** A document was archived or restored: who may open it changed for everyone. */
  documentChanged(documentId: string): void {
    for (const listener of this.documentListeners) listener(documentId);
  }

  sessionsRevoked(sessionIds: string[]): void {
    if (sessionIds.length === 0) return;
    for (const listener of this.sessionListeners) listener(sessionIds);
  }
}
