import { randomUUID } from 'node:crypto';
import {
  ARCHIVED_READ_ONLY_MESSAGE,
  can,
  conflict,
  DomainError,
  forbidden,
  invalidInput,
  notFound,
  type Actor,
} from '@essaim/domain';
import {
  MENTION_PATTERN,
  mentionedUserIds,
  mentionToken,
  parseCommentBody,
  type CommentAbilitiesDto,
  type CommentDto,
  type CreateThreadInput,
  type ThreadChange,
  type ThreadDto,
  type ThreadListDto,
} from '@essaim/protocol';
import * as Y from 'yjs';
import { applyStored, type CollabStore } from '../storage/collabStore.js';
import type {
  AnchorUpdate,
  CommentRecord,
  CommentRepository,
  ThreadRecord,
} from '../storage/commentRepository.js';
import type { DocumentRecord, DocumentRepository } from '../storage/documentRepository.js';
import type { Actors } from './actors.js';
import type { AuditService } from './auditService.js';
import { targetOfRecord, type DocumentTarget } from './documentTarget.js';
import {
  contextOf,
  encodeRange,
  locate,
  quoteMatches,
  readDocumentText,
  resolvePosition,
  sectionAt,
  textBetween,
  type DocumentText,
  type Location,
} from './commentAnchors.js';
import { noLiveDocuments, type CommentEvents, type LiveDocuments } from './commentEvents.js';
import type { NotificationEvent, NotificationService } from './notificationService.js';

/** Most mentions read in one message (the rest are plain text). */
const MAX_MENTIONS = 50;

const userIdOf = (actor: Actor): string => (actor.kind === 'user' ? actor.userId : '');
const toBase64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
const fromBase64 = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'base64'));

/** Where a request comes from, for links in emails. */
export interface RequestContext {
  baseUrl?: string;
}

/**
 * Comment threads anchored in documents, their messages, and the notifications they cause
 * (issue 10). Every use case checks `can()`; people who cannot read the document get a 404 (not
 * even the existence of a thread), people who can but may not do the action a 403. Threads live in
 * SQLite only: nothing here writes to a Y.Doc (anchors are read from the live document or the
 * stored one, see `commentAnchors.ts`). After each change, every connection of the document is
 * told by a `threads-changed` stateless message (through {@link CommentEvents}).
 */
export class CommentService {
  private live: LiveDocuments = noLiveDocuments;

  constructor(
    private readonly comments: CommentRepository,
    private readonly documents: DocumentRepository,
    private readonly store: CollabStore,
    private readonly actors: Actors,
    private readonly audit: AuditService,
    private readonly notifications: NotificationService,
    private readonly events: CommentEvents,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Lets the service read documents the collaborative server holds (set once it exists). */
  useLiveDocuments(live: LiveDocuments): void {
    this.live = live;
  }

  /** The threads of a document in document order (orphaned ones last), filtered by status. */
  list(actor: Actor, documentId: string, status: 'open' | 'resolved' | 'all'): ThreadListDto {
    const { target } = this.readable(actor, documentId);
    const threads = this.comments.threadsOf(documentId);
    // No thread, nothing to locate: the document is not read (10–18 ms for 100 pages).
    const located: ReadonlyMap<string, Location> =
      threads.length === 0
        ? new Map()
        : this.withDocument(documentId, (doc) => this.locateAll(documentId, doc, threads).locations);
    const byThread = this.comments.commentsOf(threads.map((t) => t.id));
    const names = this.mentionNames([...byThread.values()].flat());
    const dtos = threads
      .filter((t) => status === 'all' || t.status === status)
      .map((t) => ({ t, loc: located.get(t.id) as Location }))
      .sort((a, b) => orderOf(a.loc) - orderOf(b.loc) || a.t.createdAt.localeCompare(b.t.createdAt))
      .map(({ t, loc }) => this.threadDto(actor, target, t, loc, byThread.get(t.id) ?? [], names));
    return {
      threads: dtos,
      counts: this.comments.countsOf(documentId),
      abilities: this.abilities(actor, target),
    };
  }

  /** One thread, located now. */
  get(actor: Actor, threadId: string): ThreadDto {
    const { thread, target } = this.threadFor(actor, threadId);
    return this.threadView(actor, target, thread);
  }

  /**
   * Starts a thread. With an anchor, both positions must resolve in the document as the server
   * has it, in the named section, around exactly the quoted words (white space aside): otherwise
   * 400. The stored positions are re-made by the server (start on the first quoted character,
   * end on the last), whatever the client's association.
   */
  create(
    actor: Actor,
    documentId: string,
    input: CreateThreadInput,
    context: RequestContext = {},
  ): ThreadDto {
    const { record, target } = this.readable(actor, documentId);
    this.require(actor, 'thread.create', target, 'Vous ne pouvez pas commenter ce document.');
    const at = this.now().toISOString();
    const anchor = this.withDocument(documentId, (doc) => {
      const section = doc.sections.find((s) => s.id === input.sectionId);
      if (!section) throw invalidInput('Cette section n’existe pas (ou plus) dans le document.');
      if (!input.anchor) {
        return { start: null, end: null, quote: section.title, prefix: '', suffix: '' };
      }
      const s = resolvePosition(doc, fromBase64(input.anchor.start));
      const e = resolvePosition(doc, fromBase64(input.anchor.end));
      if (!s || !e)
        throw invalidInput(
          'La sélection ne se retrouve pas dans le document enregistré : réessayez dans un instant.',
        );
      if (s.offset >= e.offset) throw invalidInput('La sélection est vide.');
      if (sectionAt(doc, s.offset)?.id !== section.id)
        throw invalidInput('La sélection ne commence pas dans cette section.');
      if (!quoteMatches(doc, s.offset, e.offset, input.quote ?? ''))
        throw invalidInput('Requête invalide : le passage cité ne correspond pas au texte sélectionné.', [
          { path: 'quote', message: 'Le passage cité ne correspond pas au texte sélectionné.' },
        ]);
      const positions = encodeRange(doc, s.offset, e.offset);
      if (!positions) throw invalidInput('La sélection ne contient aucun texte.');
      return {
        start: positions.start,
        end: positions.end,
        quote: textBetween(doc, s.offset, e.offset),
        ...contextOf(doc, s.offset, e.offset),
      };
    });
    const threadId = randomUUID();
    const mentions = this.validMentions(input.body, target);
    const body = this.withAccountNames(input.body, mentions);
    const commentId = randomUUID();
    this.comments.insertThread(
      {
        id: threadId,
        documentId,
        sectionId: input.sectionId,
        anchorStart: anchor.start,
        anchorEnd: anchor.end,
        quote: anchor.quote,
        prefix: anchor.prefix,
        suffix: anchor.suffix,
        createdBy: userIdOf(actor),
        createdAt: at,
      },
      { id: commentId, threadId, authorId: userIdOf(actor), body, mentions, createdAt: at },
    );
    this.notifications.notify(
      mentions.map((userId) => ({
        userId,
        kind: 'mention',
        documentId: record.id,
        threadId,
        commentId,
        actorId: userIdOf(actor),
      })),
      context.baseUrl,
    );
    this.changed(documentId, threadId, 'created');
    return this.get(actor, threadId);
  }

  /** Replies in a thread. The thread's other participants and the people mentioned are notified. */
  reply(actor: Actor, threadId: string, written: string, context: RequestContext = {}): CommentDto {
    const { thread, target } = this.threadFor(actor, threadId);
    this.require(actor, 'comment.create', target, 'Vous ne pouvez pas répondre dans ce fil.');
    const mentions = this.validMentions(written, target);
    const body = this.withAccountNames(written, mentions);
    const participants = this.comments.participants(threadId);
    const id = randomUUID();
    const at = this.now().toISOString();
    if (
      !this.comments.insertComment({ id, threadId, authorId: userIdOf(actor), body, mentions, createdAt: at })
    )
      throw notFound('Ce fil de discussion n’existe plus.');
    const base = { documentId: thread.documentId, threadId, commentId: id, actorId: userIdOf(actor) };
    const events: NotificationEvent[] = [
      ...mentions.map((userId) => ({ ...base, userId, kind: 'mention' as const })),
      ...participants
        .filter((userId) => !mentions.includes(userId))
        .map((userId) => ({ ...base, userId, kind: 'reply' as const })),
    ];
    this.notifications.notify(events, context.baseUrl);
    this.changed(thread.documentId, threadId, 'commented');
    return this.commentView(actor, target, this.mustFindComment(id));
  }

  /** Changes the body of one's own message (mentions added by the edit notify their people). */
  edit(actor: Actor, commentId: string, written: string, context: RequestContext = {}): CommentDto {
    const { comment, thread, target } = this.commentFor(actor, commentId);
    const onComment = { ...target, type: 'comment', authorId: comment.author.id } as const;
    if (!can(actor, 'comment.edit', onComment))
      throw this.refusal(
        can(actor, 'comment.edit', { ...onComment, archived: false }) && Boolean(target.archived),
        'Seul son auteur peut modifier un message.',
      );
    if (comment.deletedAt) throw new DomainError('conflict', 'Ce message a été supprimé.');
    const mentions = this.validMentions(written, target);
    const body = this.withAccountNames(written, mentions);
    if (!this.comments.editComment(commentId, body, mentions, this.now().toISOString()))
      throw new DomainError('conflict', 'Ce message a été supprimé.');
    this.notifications.notify(
      mentions
        .filter((userId) => !comment.mentions.includes(userId))
        .map((userId) => ({
          userId,
          kind: 'mention',
          documentId: thread.documentId,
          threadId: thread.id,
          commentId,
          actorId: userIdOf(actor),
        })),
      context.baseUrl,
    );
    this.changed(thread.documentId, thread.id, 'edited');
    return this.commentView(actor, target, this.mustFindComment(commentId));
  }

  /**
   * Deletes a message: its author, or the animateur (moderation, audited). The message keeps its
   * place in the thread as « message supprimé ».
   */
  remove(actor: Actor, commentId: string): CommentDto {
    const { comment, thread, target } = this.commentFor(actor, commentId);
    const onComment = { ...target, type: 'comment', authorId: comment.author.id } as const;
    if (!can(actor, 'comment.delete', onComment))
      throw this.refusal(
        can(actor, 'comment.delete', { ...onComment, archived: false }) && Boolean(target.archived),
        'Seuls son auteur et l’animateur peuvent supprimer un message.',
      );
    if (comment.deletedAt) throw new DomainError('conflict', 'Ce message a déjà été supprimé.');
    if (!this.comments.deleteComment(commentId, userIdOf(actor), this.now().toISOString()))
      throw new DomainError('conflict', 'Ce message a déjà été supprimé.');
    if (comment.author.id !== userIdOf(actor)) {
      this.audit.record({
        actorId: userIdOf(actor),
        action: 'comment.moderate',
        target: { type: 'comment', id: commentId },
        details: { documentId: thread.documentId, threadId: thread.id, authorId: comment.author.id },
      });
    }
    this.changed(thread.documentId, thread.id, 'deleted');
    return this.commentView(actor, target, this.mustFindComment(commentId));
  }

  /** Resolves an open thread (rapporteurs, animateur); its author is notified. 409 if already resolved. */
  resolve(actor: Actor, threadId: string, context: RequestContext = {}): ThreadDto {
    const { thread, target } = this.threadFor(actor, threadId);
    this.require(actor, 'thread.resolve', target, 'Seuls les rapporteurs et l’animateur résolvent un fil.');
    if (!this.comments.setStatus(threadId, 'open', userIdOf(actor), this.now().toISOString()))
      throw new DomainError('conflict', 'Ce fil de discussion est déjà résolu.');
    this.notifications.notify(
      [
        {
          userId: thread.createdBy.id,
          kind: 'resolved',
          documentId: thread.documentId,
          threadId,
          commentId: null,
          actorId: userIdOf(actor),
        },
      ],
      context.baseUrl,
    );
    this.changed(thread.documentId, threadId, 'resolved');
    return this.get(actor, threadId);
  }

  /** Reopens a resolved thread (rapporteurs, animateur). 409 if it is open. */
  reopen(actor: Actor, threadId: string): ThreadDto {
    const { thread, target } = this.threadFor(actor, threadId);
    this.require(actor, 'thread.resolve', target, 'Seuls les rapporteurs et l’animateur rouvrent un fil.');
    if (!this.comments.setStatus(threadId, 'resolved', userIdOf(actor), this.now().toISOString()))
      throw new DomainError('conflict', 'Ce fil de discussion est déjà ouvert.');
    this.changed(thread.documentId, threadId, 'reopened');
    return this.get(actor, threadId);
  }

  /** Hides a whole thread (the animateur: moderation, audited). Kept in the database. */
  deleteThread(actor: Actor, threadId: string): void {
    const { thread, target } = this.threadFor(actor, threadId);
    this.require(actor, 'comment.moderate', target, 'Seul l’animateur supprime un fil de discussion.');
    if (!this.comments.deleteThread(threadId, userIdOf(actor), this.now().toISOString()))
      throw notFound('Ce fil de discussion n’existe plus.');
    this.audit.record({
      actorId: userIdOf(actor),
      action: 'thread.moderate',
      target: { type: 'thread', id: threadId },
      details: { documentId: thread.documentId, authorId: thread.createdBy.id },
    });
    this.changed(thread.documentId, threadId, 'thread-deleted');
  }

  /** Open threads per document, for catalogue cards (one grouped query). */
  openThreadCounts(documentIds: readonly string[]): Map<string, number> {
    return this.comments.openThreadCounts(documentIds);
  }

  /**
   * Locates every thread of a document again in `ydoc` (the live document, after changes) and
   * stores what moved; tells the document's connections when something did. Reads only.
   */
  reanchor(documentId: string, ydoc: Y.Doc): boolean {
    const threads = this.comments.threadsOf(documentId);
    if (threads.length === 0) return false;
    return this.locateAll(documentId, readDocumentText(ydoc), threads).stored;
  }

  /** Locates threads; stores and announces those whose place changed (`stored`). */
  private locateAll(
    documentId: string,
    doc: DocumentText,
    threads: readonly ThreadRecord[],
  ): { locations: Map<string, Location>; stored: boolean } {
    const out = new Map<string, Location>();
    const updates: AnchorUpdate[] = [];
    let moved = false;
    for (const t of threads) {
      const loc = locate(doc, {
        sectionId: t.sectionId,
        start: t.anchorStart,
        end: t.anchorEnd,
        quote: t.quote,
        prefix: t.prefix,
        suffix: t.suffix,
        lastSeen: t.lastSeen,
      });
      out.set(t.id, loc);
      const placeChanged = loc.orphaned !== t.orphaned || (!loc.orphaned && loc.moved);
      // The words under the anchor, kept once they differ from what was stored (someone typed
      // inside them): re-anchoring searches them first. Whole-section threads have no words.
      const seenChanged =
        !loc.orphaned && loc.anchor !== null && loc.currentQuote !== (t.lastSeen?.quote ?? t.quote);
      if (placeChanged || seenChanged) {
        moved ||= placeChanged;
        updates.push({
          id: t.id,
          sectionId: loc.orphaned ? t.sectionId : loc.sectionId,
          // An orphaned thread keeps its last positions: undoing the deletion can bring them back.
          anchorStart: loc.orphaned ? t.anchorStart : (loc.anchor?.start ?? null),
          anchorEnd: loc.orphaned ? t.anchorEnd : (loc.anchor?.end ?? null),
          orphaned: loc.orphaned,
          lastSeen: seenChanged ? { quote: loc.currentQuote, ...loc.currentContext } : t.lastSeen,
        });
      }
    }
    if (updates.length > 0) this.comments.updateAnchors(updates);
    // Clients re-read highlights only when a place changed, not for words seen under an anchor.
    if (moved) this.changed(documentId, null, 'anchors');
    return { locations: out, stored: moved };
  }

  private threadView(actor: Actor, target: DocumentTarget, thread: ThreadRecord): ThreadDto {
    const loc = this.withDocument(thread.documentId, (doc) =>
      this.locateAll(thread.documentId, doc, [thread]).locations.get(thread.id),
    ) as Location;
    const comments = this.comments.commentsOf([thread.id]).get(thread.id) ?? [];
    return this.threadDto(actor, target, thread, loc, comments, this.mentionNames(comments));
  }

  private commentView(actor: Actor, target: DocumentTarget, comment: CommentRecord): CommentDto {
    return this.commentDto(actor, target, comment, this.mentionNames([comment]));
  }

  /** Display names of the accounts validly mentioned in `comments` (one query). */
  private mentionNames(comments: readonly CommentRecord[]): Map<string, string> {
    return this.comments.userNames([...new Set(comments.flatMap((c) => c.mentions))]);
  }

  private threadDto(
    actor: Actor,
    target: DocumentTarget,
    t: ThreadRecord,
    loc: Location,
    comments: readonly CommentRecord[],
    names: ReadonlyMap<string, string>,
  ): ThreadDto {
    return {
      id: t.id,
      documentId: t.documentId,
      sectionId: loc.orphaned ? t.sectionId : loc.sectionId,
      sectionTitle: loc.sectionTitle,
      anchor:
        !loc.orphaned && loc.anchor
          ? { start: toBase64(loc.anchor.start), end: toBase64(loc.anchor.end) }
          : null,
      quote: t.quote,
      currentQuote: loc.orphaned ? null : loc.currentQuote,
      status: t.status,
      orphaned: loc.orphaned,
      wholeSection: t.anchorStart === null,
      createdBy: t.createdBy,
      createdAt: t.createdAt,
      resolvedBy: t.resolvedBy,
      resolvedAt: t.resolvedAt,
      comments: comments.map((c) => this.commentDto(actor, target, c, names)),
    };
  }

  /**
   * A message as served. Each valid mention is named after the account (`accountNames`), never
   * after the token's label, which its writer chose (« @[L’administrateur vous demande votre mot
   * de passe](user:…) »); the label is used only for an account no longer known.
   */
  private commentDto(
    actor: Actor,
    target: DocumentTarget,
    c: CommentRecord,
    accountNames: ReadonlyMap<string, string>,
  ): CommentDto {
    const deleted = c.deletedAt !== null;
    const onComment = { ...target, type: 'comment' as const, authorId: c.author.id };
    const names = new Map<string, string>();
    if (!deleted)
      for (const part of parseCommentBody(c.body))
        if (part.kind === 'mention' && !names.has(part.userId))
          names.set(part.userId, accountNames.get(part.userId) ?? part.name);
    return {
      id: c.id,
      threadId: c.threadId,
      author: c.author,
      body: deleted ? '' : c.body,
      mentions: deleted
        ? []
        : c.mentions.filter((id) => names.has(id)).map((id) => ({ id, name: names.get(id) ?? '' })),
      createdAt: c.createdAt,
      editedAt: c.editedAt,
      deleted,
      moderated: deleted && c.deletedBy !== c.author.id,
      canEdit: !deleted && can(actor, 'comment.edit', onComment),
      canDelete: !deleted && can(actor, 'comment.delete', onComment),
    };
  }

  private abilities(actor: Actor, target: DocumentTarget): CommentAbilitiesDto {
    return {
      comment: can(actor, 'thread.create', target),
      resolve: can(actor, 'thread.resolve', target),
      moderate: can(actor, 'comment.moderate', target),
    };
  }

  /** Mentioned people who can read the document, in order, each once (the author included). */
  private validMentions(body: string, target: DocumentTarget): string[] {
    return mentionedUserIds(body)
      .slice(0, MAX_MENTIONS)
      .filter((userId) => can(this.actors.forUser(userId), 'document.read', target));
  }

  /**
   * The body to store: the label of each valid mention token replaced by the account's display
   * name (as `mentionToken` writes it), so excerpts, emails and editing never show a label the
   * writer made up. Tokens of people who are not mentioned (they cannot read the document) are
   * left as written: they stay plain text.
   */
  private withAccountNames(body: string, mentions: readonly string[]): string {
    if (mentions.length === 0) return body;
    const names = this.comments.userNames(mentions);
    return body.replace(new RegExp(MENTION_PATTERN.source, 'g'), (token, _label: string, id: string) => {
      const name = mentions.includes(id) ? names.get(id) : undefined;
      const rewritten = name === undefined ? token : mentionToken({ id, name });
      // A name that sanitizes to nothing would no longer read as a token: keep the original.
      return parseCommentBody(rewritten)[0]?.kind === 'mention' ? rewritten : token;
    });
  }

  private changed(documentId: string, threadId: string | null, change: ThreadChange): void {
    this.events.threadsChanged(documentId, {
      type: 'threads-changed',
      threadId,
      change,
      openThreads: this.comments.countsOf(documentId).open,
    });
  }

  /** Reads a document as it is now: the live one when loaded, else the stored state. */
  private withDocument<T>(documentId: string, read: (doc: DocumentText) => T): T {
    const live = this.live.get(documentId);
    if (live) return read(readDocumentText(live));
    const ydoc = new Y.Doc();
    try {
      applyStored(ydoc, this.store.load(documentId));
      return read(readDocumentText(ydoc));
    } finally {
      ydoc.destroy();
    }
  }

  /** The document, if the actor may read it; otherwise 404, whoever asks. */
  private readable(actor: Actor, documentId: string): { record: DocumentRecord; target: DocumentTarget } {
    const record = this.documents.findById(documentId);
    const target = record ? targetOfRecord(this.documents, record) : null;
    if (!record || !target || !can(actor, 'document.read', target))
      throw notFound('Ce document n’existe pas.');
    return { record, target };
  }

  private threadFor(actor: Actor, threadId: string): { thread: ThreadRecord; target: DocumentTarget } {
    const thread = this.comments.findThread(threadId);
    if (!thread || thread.deletedAt) throw notFound('Ce fil de discussion n’existe pas.');
    try {
      return { thread, target: this.readable(actor, thread.documentId).target };
    } catch {
      throw notFound('Ce fil de discussion n’existe pas.');
    }
  }

  private commentFor(
    actor: Actor,
    commentId: string,
  ): { comment: CommentRecord; thread: ThreadRecord; target: DocumentTarget } {
    const comment = this.comments.findComment(commentId);
    if (!comment) throw notFound('Ce message n’existe pas.');
    try {
      return { comment, ...this.threadFor(actor, comment.threadId) };
    } catch {
      throw notFound('Ce message n’existe pas.');
    }
  }

  private mustFindComment(id: string): CommentRecord {
    const comment = this.comments.findComment(id);
    if (!comment) throw notFound('Ce message n’existe pas.');
    return comment;
  }

  private require(
    actor: Actor,
    action: 'thread.create' | 'comment.create' | 'thread.resolve' | 'comment.moderate',
    target: DocumentTarget,
    message: string,
  ): void {
    if (!can(actor, action, target))
      throw this.refusal(
        can(actor, action, { ...target, archived: false }) && Boolean(target.archived),
        message,
      );
  }

  /**
   * A change to comments refused: 409 with the one message of archived documents when only the
   * archive stands in the way (`onlyArchived`), 403 with `message` otherwise.
   */
  private refusal(onlyArchived: boolean, message: string): DomainError {
    return onlyArchived ? conflict(ARCHIVED_READ_ONLY_MESSAGE) : forbidden(message);
  }
}

/** Sort key in document order: located threads by position, orphaned ones after all of them. */
function orderOf(loc: Location): number {
  return loc.orphaned ? Number.MAX_SAFE_INTEGER : loc.order;
}
