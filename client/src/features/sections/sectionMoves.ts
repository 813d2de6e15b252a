import type { Editor } from '@tiptap/core';
import { HocuspocusProvider, WebSocketStatus, type onStatelessParameters } from '@hocuspocus/provider';
import {
  parseSectionMoveReplyLight,
  type SectionMoveOutcome,
  type SectionMoveRequest,
} from '@essaim/protocol';

/**
 * « Monter » and « Descendre » are requests to the server, which moves the section on the live
 * document, one move at a time (Yjs has no move: two editors each moving a section by delete +
 * insert would duplicate it, and lose what a co-editor typed in it meanwhile). The editor only
 * sends the request and waits for the answer; the moved section arrives as any remote change.
 */

/** How long to wait for the server's answer before saying the move was not confirmed. */
const ANSWER_TIMEOUT_MS = 10_000;

/**
 * The websocket provider of a collaborative editor, read from its caret extension (configured
 * with the provider of the document). Null for an editor without one.
 */
export function collaborationProviderOf(editor: Editor): HocuspocusProvider | null {
  const caret = editor.extensionManager.extensions.find((e) => e.name === 'collaborationCaret');
  const provider: unknown = (caret?.options as { provider?: unknown } | undefined)?.provider;
  return provider instanceof HocuspocusProvider ? provider : null;
}

/**
 * Whether a move can be asked now: the browser is online (a socket may look open for a while
 * after the network went away), the socket is open and the document synced with the server.
 */
export function canRequestMoves(provider: HocuspocusProvider | null): provider is HocuspocusProvider {
  return (
    provider !== null &&
    navigator.onLine &&
    provider.configuration.websocketProvider.status === WebSocketStatus.Connected &&
    provider.isSynced
  );
}

/**
 * Asks the server to put section `sectionId` directly after `afterSectionId` (`null`: first) and
 * resolves with its answer, or `no-answer` when none came (connection lost, or no answer within
 * {@link ANSWER_TIMEOUT_MS}). Never rejects.
 */
export function requestSectionMove(
  provider: HocuspocusProvider,
  sectionId: string,
  afterSectionId: string | null,
): Promise<SectionMoveOutcome | 'no-answer'> {
  const request: SectionMoveRequest = {
    type: 'section-move',
    requestId: crypto.randomUUID(),
    sectionId,
    afterSectionId,
  };
  return new Promise((resolve) => {
    const finish = (outcome: SectionMoveOutcome | 'no-answer') => {
      clearTimeout(timer);
      provider.off('stateless', onStateless);
      provider.off('disconnect', onDisconnect);
      resolve(outcome);
    };
    const onStateless = ({ payload }: onStatelessParameters) => {
      const reply = parseSectionMoveReplyLight(payload);
      if (reply?.requestId === request.requestId) finish(reply.outcome);
    };
    const onDisconnect = () => finish('no-answer');
    const timer = setTimeout(() => finish('no-answer'), ANSWER_TIMEOUT_MS);
    provider.on('stateless', onStateless);
    provider.on('disconnect', onDisconnect);
    provider.sendStateless(JSON.stringify(request));
  });
}
