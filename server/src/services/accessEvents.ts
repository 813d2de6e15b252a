/**
 * Changes that alter what someone may do right now. The collaborative server listens, so open
 * websockets are downgraded or closed at once instead of at their next reconnection.
 */
export class AccessEvents {
  private readonly userListeners: ((userId: string) => void)[] = [];
  private readonly sessionListeners: ((sessionIds: string[]) => void)[] = [];

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

  sessionsRevoked(sessionIds: string[]): void {
    if (sessionIds.length === 0) return;
    for (const listener of this.sessionListeners) listener(sessionIds);
  }
}
