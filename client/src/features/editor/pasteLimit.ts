import { Extension } from '@tiptap/core';
import type { Fragment, Mark, Node as PMNode, Slice } from '@tiptap/pm/model';
import { Plugin, PluginKey } from '@tiptap/pm/state';
import * as Y from 'yjs';
import { MAX_UPDATE_STRUCTS, type CollabLimitsDto } from '@essaim/protocol';

/*
 * Per-struct costs of Yjs's update encoding (v1), in bytes, rounded up: each item carries an
 * info byte, its left and right origins (client id and clock, up to 10 bytes each) and its
 * content. Checked against real updates by pasteLimit.test.ts (the estimate must never be lower).
 */
/** The update's header and delete set, and the websocket message's envelope (document name...). */
const BASE_BYTES = 256;
/** An element (paragraph, section, cell...): its item and its node name. */
const ELEMENT_BYTES = 24;
/** The Y.XmlText holding a text block's inline content. */
const TEXT_TYPE_BYTES = 12;
/** One run of text: its item and the length of its string. */
const TEXT_RUN_BYTES = 12;
/** One attribute of an element: its map item and its key. */
const ATTRIBUTE_BYTES = 16;
/** One mark on a run of text: a formatting item where it starts and one where it ends. */
const MARK_BYTES = 2 * 20;

/**
 * Share of the server's limits a paste may use. The estimate is an upper bound already; the rest
 * leaves room for what the same message carries besides (concurrent typing merged by the provider).
 */
export const PASTE_SHARE_OF_LIMIT = 0.9;

/** Bytes of `text` in UTF-8, without building the encoded copy (pastes can weigh megabytes). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    // A surrogate pair (4 bytes in UTF-8) is two code units: 2 bytes each.
    else if (code >= 0xd800 && code <= 0xdfff) bytes += 2;
    else bytes += 3;
  }
  return bytes;
}

function valueBytes(value: unknown): number {
  return typeof value === 'string' ? utf8Length(value) + 4 : utf8Length(JSON.stringify(value) ?? '') + 4;
}

function attributesBytes(attrs: Record<string, unknown>): number {
  let bytes = 0;
  for (const [key, value] of Object.entries(attrs)) {
    // The binding writes only attributes that are set.
    if (value === null || value === undefined) continue;
    bytes += ATTRIBUTE_BYTES + key.length + valueBytes(value);
  }
  return bytes;
}

function marksBytes(marks: readonly Mark[]): number {
  let bytes = 0;
  // The closing item carries the mark's name and a null value.
  for (const mark of marks) bytes += MARK_BYTES + 2 * mark.type.name.length + valueBytes(mark.attrs);
  return bytes;
}

/**
 * An upper bound, in bytes, of the Yjs update (and of the websocket message carrying it) that
 * inserting `content` into the shared document makes: the UTF-8 text plus the structure (elements,
 * attributes, marks), following y-prosemirror's mapping of ProseMirror nodes to Y.XmlElement and
 * Y.XmlText. Linear in the size of `content`; nothing is encoded.
 */
export function estimateUpdateBytes(content: Fragment): number {
  let bytes = BASE_BYTES;
  content.descendants((node: PMNode) => {
    if (node.isText) {
      bytes += TEXT_RUN_BYTES + utf8Length(node.text ?? '') + marksBytes(node.marks);
      return false;
    }
    bytes += ELEMENT_BYTES + node.type.name.length + attributesBytes(node.attrs);
    if (node.isTextblock) bytes += TEXT_TYPE_BYTES;
    return true;
  });
  return bytes;
}

/**
 * An upper bound of the number of Yjs structs inserting `content` makes, following the same
 * mapping: one per element, one more for a text block's Y.XmlText, one per run of text, two per
 * mark (where it starts and where it ends), one per attribute set. The server refuses an update
 * of more than `MAX_UPDATE_STRUCTS` (a table of about 1,600 rows) whatever its bytes.
 */
export function estimateUpdateStructs(content: Fragment): number {
  let structs = 0;
  content.descendants((node: PMNode) => {
    if (node.isText) {
      structs += 1 + 2 * node.marks.length;
      return false;
    }
    structs += 1 + Object.values(node.attrs).filter((v) => v !== null && v !== undefined).length;
    if (node.isTextblock) structs += 1;
    return true;
  });
  return structs;
}

/** Why a paste is refused: one message over the limit, or a document that would grow past its own. */
export type PasteRefusal =
  | { reason: 'too-large'; estimate: number; limit: number }
  | { reason: 'document-full'; estimate: number; limit: number };

/**
 * Whether the server would take a paste of `estimate` bytes (from {@link estimateUpdateBytes})
 * and `structs` Yjs structs ({@link estimateUpdateStructs}) into a document whose state encodes
 * to `documentBytes`, under `limits` (`/api/auth/me`, the server's `MAX_MESSAGE_BYTES` and
 * `MAX_DOCUMENT_BYTES`) and `MAX_UPDATE_STRUCTS`. Null when it would.
 */
export function pasteRefusal(
  estimate: number,
  documentBytes: number,
  limits: CollabLimitsDto,
  structs = 0,
): PasteRefusal | null {
  const messageLimit = Math.floor(limits.messageBytes * PASTE_SHARE_OF_LIMIT);
  if (estimate > messageLimit) return { reason: 'too-large', estimate, limit: messageLimit };
  if (structs > Math.floor(MAX_UPDATE_STRUCTS * PASTE_SHARE_OF_LIMIT))
    return { reason: 'too-large', estimate, limit: messageLimit };
  const documentLimit = Math.floor(limits.documentBytes * PASTE_SHARE_OF_LIMIT);
  if (documentBytes + estimate > documentLimit)
    return { reason: 'document-full', estimate, limit: limits.documentBytes };
  return null;
}

/** What the page tells the editor of one document: the server's limits and who hears a refusal. */
export interface PastePolicy {
  limits: CollabLimitsDto;
  refused: (refusal: PasteRefusal) => void;
}

const policies = new WeakMap<Y.Doc, PastePolicy>();

/**
 * Sets the paste policy of the editor bound to `ydoc` (the page knows the limits; the editor's
 * extensions are built before). Returns the function that removes it.
 */
export function setPastePolicy(ydoc: Y.Doc, policy: PastePolicy): () => void {
  policies.set(ydoc, policy);
  return () => {
    if (policies.get(ydoc) === policy) policies.delete(ydoc);
  };
}

/** True when the paste or drop of `slice` is refused (the document is then left unchanged). */
function refuses(ydoc: Y.Doc, slice: Slice): boolean {
  const policy = policies.get(ydoc);
  if (!policy) return false;
  const estimate = estimateUpdateBytes(slice.content);
  // A few milliseconds for a document of a few hundred kB, once per paste.
  const documentBytes = Y.encodeStateAsUpdate(ydoc).byteLength;
  const refusal = pasteRefusal(estimate, documentBytes, policy.limits, estimateUpdateStructs(slice.content));
  if (!refusal) return false;
  policy.refused(refusal);
  return true;
}

/**
 * Refuses, before it is applied, a paste or a drop the collaborative server would not take: it
 * would close the connection on the message carrying it (issue 8, item 6). Runs before any other
 * paste handler.
 */
export function pasteLimit(ydoc: Y.Doc): Extension {
  return Extension.create({
    name: 'essaimPasteLimit',
    priority: 10_000,
    addProseMirrorPlugins() {
      return [
        new Plugin({
          key: new PluginKey('essaimPasteLimit'),
          props: {
            handlePaste: (_view, _event, slice) => refuses(ydoc, slice),
            handleDrop: (_view, _event, slice) => refuses(ydoc, slice),
          },
        }),
      ];
    },
  });
}
