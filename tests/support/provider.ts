import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import { randomUUID } from 'node:crypto';
import {
  FRAGMENT,
  parseSectionMoveReply,
  type SectionMoveOutcome,
  type SectionMoveRequest,
} from '@essaim/protocol';
import { sendOfflineEditsFirst } from '@essaim/editor';
import * as Y from 'yjs';
import WebSocket from 'ws';

export interface NodeClient {
  ydoc: Y.Doc;
  provider: HocuspocusProvider;
  socket: HocuspocusProviderWebsocket;
  /**
   * The text the editor writes first in a document made from a template: the Y.XmlText of the
   * first paragraph of the first section ({@link firstParagraphText}). A new client's document is
   * empty until its first sync, so this getter throws (with the reason) while the document holds no
   * such text: `await synced(client)` first. It stays available after a later disconnection
   * (offline edits go into the same text), and at once for a client given a Y.Doc that holds it.
   */
  readonly text: Y.XmlText;
  destroy(): void;
}

/**
 * The Y.XmlText of the first paragraph of the first section of `ydoc`'s editor fragment
 * (`default`), that is where a person opening a new fiche or synthèse starts typing (the template
 * gives every section a title, then an empty paragraph: packages/editor/src/template.ts). The
 * server stores every empty paragraph of a new document with an empty Y.XmlText in it, so two
 * clients find the same text without creating one. Undefined when the document holds no such
 * paragraph or the paragraph holds no Y.XmlText (not synced yet, or not made from a template).
 * Pure: reads `ydoc`, never writes it.
 */
export function firstParagraphText(ydoc: Y.Doc): Y.XmlText | undefined {
  const section = ydoc
    .getXmlFragment(FRAGMENT)
    .toArray()
    .find((node): node is Y.XmlElement => node instanceof Y.XmlElement && node.nodeName === 'section');
  const paragraph = section
    ?.toArray()
    .find((node): node is Y.XmlElement => node instanceof Y.XmlElement && node.nodeName === 'paragraph');
  return paragraph?.toArray().find((node): node is Y.XmlText => node instanceof Y.XmlText);
}

/** The client's {@link firstParagraphText}, or an error saying why it is not there. */
function textOf(ydoc: Y.Doc, name: string, hasSynced: boolean): Y.XmlText {
  const text = firstParagraphText(ydoc);
  if (text) return text;
  if (!hasSynced)
    throw new Error(
      `client.text de ${name} : le document n’est pas encore synchronisé (attendre « await synced(client) »)`,
    );
  throw new Error(
    `client.text de ${name} : pas de Y.XmlText dans le premier paragraphe de la première section ` +
      '(document qui ne vient pas d’un modèle, ou paragraphe vide créé sans texte vide)',
  );
}

/** A provider for a logged-in person: it fetches a fresh websocket token at each (re)connection. */
export function connectAs(
  session: { collabToken(): Promise<string> },
  wsUrl: string,
  name: string,
  options: { ydoc?: Y.Doc } = {},
): NodeClient {
  return connectClient(wsUrl, name, { ...options, token: () => session.collabToken() });
}

/**
 * A real HocuspocusProvider over a real websocket, as a browser would have, but in Node.
 * `ydoc` can be passed to keep edits across a simulated reconnect.
 */
export function connectClient(
  wsUrl: string,
  name: string,
  options: {
    ydoc?: Y.Doc;
    token?: string | (() => Promise<string>);
    /** Send offline edits first on reconnection, as the editor does (default); false: a bare provider, as a program uses it. */
    offlineEditsFirst?: boolean;
  } = {},
): NodeClient {
  const ydoc = options.ydoc ?? new Y.Doc();
  const socket = new HocuspocusProviderWebsocket({
    url: wsUrl,
    WebSocketPolyfill: WebSocket,
    // Tests poll; reconnect fast so a restarted server is found quickly.
    delay: 50,
    minDelay: 50,
    maxDelay: 200,
  });
  const provider = new HocuspocusProvider({
    websocketProvider: socket,
    name,
    document: ydoc,
    token: options.token ?? '',
  });
  // Set once, on the first sync: `isSynced` goes back to false at each disconnection.
  let hasSynced = false;
  const onSynced = (): void => {
    hasSynced = true;
    provider.off('synced', onSynced);
  };
  provider.on('synced', onSynced);
  // As the editor does (useCollaborationSession).
  if (options.offlineEditsFirst !== false) sendOfflineEditsFirst(provider);
  provider.attach();
  let destroyed = false;
  return {
    ydoc,
    provider,
    socket,
    get text() {
      return textOf(ydoc, name, hasSynced || provider.isSynced);
    },
    destroy() {
      // Idempotent: tests destroy a client mid-test and again when they end.
      if (destroyed) return;
      destroyed = true;
      // A socket still connecting (reconnecting after a refusal, say) is aborted by `ws`, which
      // then emits « closed before the connection was established » on a socket the provider no
      // longer listens to: an uncaught error in Node (a browser's WebSocket only logs it).
      const pending = (
        socket as unknown as { webSocket?: { on?: (event: 'error', listener: () => void) => void } | null }
      ).webSocket;
      pending?.on?.('error', () => undefined);
      provider.destroy();
      socket.destroy();
    },
  };
}

/**
 * Waits for the client's first sync with the server and resolves with its {@link NodeClient.text}
 * (at once when the client's document already holds it). Rejects after `timeoutMs` (ms) with the
 * reason: not synced yet (refused, server down), or synced but the document holds no paragraph text.
 */
export async function synced(client: NodeClient, timeoutMs = 10_000): Promise<Y.XmlText> {
  const attempt = (): Y.XmlText | undefined => {
    try {
      return client.text;
    } catch {
      return undefined;
    }
  };
  const now = attempt();
  if (now) return now;
  return new Promise<Y.XmlText>((resolve, reject) => {
    const check = (): void => {
      const text = attempt();
      if (!text) return;
      done();
      resolve(text);
    };
    const timer = setTimeout(() => {
      done();
      try {
        resolve(client.text);
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    }, timeoutMs);
    const done = (): void => {
      clearTimeout(timer);
      client.provider.off('synced', check);
      client.ydoc.off('update', check);
    };
    client.provider.on('synced', check);
    client.ydoc.on('update', check);
  });
}

/** True once the provider synced with the server and every local change was acknowledged. */
export const isSettled = (client: NodeClient): boolean =>
  client.provider.isSynced && !client.provider.hasUnsyncedChanges;

/** Asks the server to move a section, as « Monter » / « Descendre » do, and waits for its answer. */
export function requestMove(
  client: NodeClient,
  sectionId: string,
  afterSectionId: string | null,
): Promise<SectionMoveOutcome> {
  const request: SectionMoveRequest = {
    type: 'section-move',
    requestId: randomUUID(),
    sectionId,
    afterSectionId,
  };
  return new Promise((resolve) => {
    const onStateless = ({ payload }: { payload: string }) => {
      const reply = parseSectionMoveReply(payload);
      if (reply?.requestId !== request.requestId) return;
      client.provider.off('stateless', onStateless);
      resolve(reply.outcome);
    };
    client.provider.on('stateless', onStateless);
    client.provider.sendStateless(JSON.stringify(request));
  });
}
