import { Component, type ErrorInfo, type ReactNode } from 'react';
import { ErrorPage } from '../shared/ErrorPage.js';
import { appMessages as m } from './messages.js';

/**
 * A lazily loaded page can fail to download (network cut, new deployment removed old chunks):
 * explain it and offer a reload instead of a blank screen.
 */
export class ChunkErrorBoundary extends Component<{ children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    console.error('Page non chargée :', error, info.componentStack);
  }

  override render(): ReactNode {
    if (!this.state.failed) return this.props.children;
    return (
      <ErrorPage
        title={m.chunkErrorTitle}
        lead={m.chunkErrorLead}
        onRetry={() => window.location.reload()}
        retryLabel={m.reload}
        homeLabel={m.backHome}
      />
    );
  }
}
