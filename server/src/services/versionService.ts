import { randomInt, randomUUID } from 'node:crypto';
import { can, notFound, type Actor } from '@essaim/domain';
import {
  diffDocuments,
  restoreContent,
  ydocToJSON,
  ydocToText,
  type DiffAttribution,
  type DocJSON,
} from '@essaim/editor';
import {
  META_MAP,
  type DocumentDiffDto,
  type VersionAuthorDto,
  type VersionDto,
  type VersionKind,
  type VersionRestoredMessage,
} from '@essaim/protocol';
import * as Y from 'yjs';
import type { AccountRepository } from '../storage/accountRepository.js';
import type { ClientRepository } from '../storage/clientRepository.js';
import type { CollabStore, DeletedRanges } from '../storage/collabStore.js';
import type { DocumentRepository } from '../storage/documentRepository.js';
import type { VersionRecord, VersionRepository } from '../storage/versionRepository.js';
import type { AuditService } from './auditService.js';
import { assertMayChange, storedDocumentTarget, type DocumentTarget } from './documentTarget.js';
import { noLiveDocuments, readCurrentDocument, type LiveDocuments } from './liveDocuments.js';

/** When automatic versions are taken (issue 11), in milliseconds. */
export interface VersionSchedule {
  /** A pause in activity this long records an automatic version (default 5 minutes). */
  pauseMs: number;
  /** Continuous activity records one at least this often (default 30 minutes). */
  maxIntervalMs: number;
}

export const defaultVersionSchedule: VersionSchedule = { pauseMs: 5 * 60_000, maxIntervalMs: 30 * 60_000 };

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * Which automatic versions thinning removes, given all versions of a document (any order) and
 * `now`: every version of the last day is kept; between one day and one week, the newest automatic
 * version of each hour; older, the newest of each day. Named, review, publication and restore
 * versions are never removed (issue 11). Returns the ids to delete.
 */
export function versionsToThin(versions: readonly VersionRecord[], now: Date): string[] {
  const kept = new Set<string>();
  const remove: string[] = [];
  const newestFirst = [...versions].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  for (const v of newestFirst) {
    if (v.kind !== 'automatique') continue;
    const age = now.getTime() - Date.parse(v.createdAt);
    if (age < DAY) continue;
    const bucket =
      age < 7 * DAY ? `h${Math.floor(Date.parse(v.createdAt) / HOUR)}` : `d${v.createdAt.slice(0, 10)}`;
    if (kept.has(bucket)) remove.push(v.id);
    else kept.add(bucket);
  }
  return remove;
}

/** Activity of a loaded document since its last version. */
interface Activity {
  first: number;
  last: number;
  authors: Set<string>;
}

/**
 * Version history (issue 11): versions recorded in SQLite (automatic, named, restore; review and
 * publication come from their workflows), read-only views of a version, compares on the server
 * with the shared schema, and restores made as a forward change on the live document through
 * {@link LiveDocuments}. Everyone who reads a document reads its history; who may edit it (an
 * assigned rapporteur, the animateur) names versions and restores.
 */
export class VersionService {
  private live: LiveDocuments = noLiveDocuments;
  private readonly activity = new Map<string, Activity>();

  constructor(
    private readonly versions: VersionRepository,
    private readonly documents: DocumentRepository,
    private readonly accounts: AccountRepository,
    private readonly clients: ClientRepository,
    private readonly store: CollabStore,
    private readonly audit: AuditService,
    private readonly schedule: VersionSchedule = defaultVersionSchedule,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Lets the service read and change documents the collaborative server holds. */
  useLiveDocuments(live: LiveDocuments): void {
    this.live = live;
  }

  /** Versions of a document, newest first. 404 for who cannot read it. */
  list(actor: Actor, documentId: string): VersionDto[] {
    this.readable(actor, documentId);
    const records = this.versions.list(documentId);
    const names = this.namesOf(records.flatMap((r) => r.authorIds));
    return records.map((r) => this.dto(r, names));
  }

  /** One version and its content: ProseMirror JSON or plain text. */
  get(
    actor: Actor,
    documentId: string,
    versionId: string,
    format: 'json' | 'text',
  ): { version: VersionDto; content: DocJSON } | { version: VersionDto; text: string } {
    this.readable(actor, documentId);
    const record = this.versions.get(documentId, versionId);
    if (!record) throw notFound('Cette version n’existe pas.');
    const version = this.dto(record, this.namesOf(record.authorIds));
    return this.withVersionDoc(record.id, (doc) =>
      format === 'text' ? { version, text: ydocToText(doc) } : { version, content: ydocToJSON(doc) },
    );
  }

  /** Records a named version of the current content (« Enregistrer une version »). Audited. */
  async name(actor: Actor, documentId: string, label: string): Promise<VersionDto> {
    const target = this.editable(
      actor,
      documentId,
      'Vous ne pouvez pas enregistrer de version de ce document.',
    );
    const version = this.record(documentId, 'nommee', label.trim(), actorId(actor));
    this.audit.record({
      actorId: actorId(actor),
      action: 'version.name',
      target: { type: 'document', id: documentId },
      details: { versionId: version.id, number: version.number, espaceId: target.espaceId },
    });
    return version;
  }

  /**
   * Restores a version as a new change on top of the current text: a « restauration » version of
   * the text before, the change made on the live document for the actor (people connected see it
   * arrive, and a `version-restored` message), then a « restauration » version of the result.
   * Everything in between stays in history. Audited. Returns the version recorded after; when
   * the text already is the version's, records nothing and returns the newest version. 409 on an
   * archived document (read only).
   */
  async restore(actor: Actor, documentId: string, versionId: string): Promise<VersionDto> {
    const target = this.editable(
      actor,
      documentId,
      'Vous ne pouvez pas restaurer de version de ce document.',
    );
    const source = this.versions.get(documentId, versionId);
    if (!source) throw notFound('Cette version n’existe pas.');
    const { content, meta } = this.withVersionDoc(source.id, (doc) => ({
      content: ydocToJSON(doc),
      meta: doc.getMap(META_MAP).toJSON(),
    }));
    const unchanged = this.withCurrentDoc(
      documentId,
      (doc) =>
        JSON.stringify(ydocToJSON(doc)) === JSON.stringify(content) &&
        JSON.stringify(doc.getMap(META_MAP).toJSON()) === JSON.stringify(meta),
    );
    // Nothing to restore: nothing recorded, nothing sent (a restore repeated does not fill the
    // history); the answer is the newest version.
    const latest = unchanged ? this.versions.latest(documentId) : null;
    if (latest)
      return this.dto(
        latest,
        this.namesOf([...latest.authorIds, ...(latest.createdBy ? [latest.createdBy.id] : [])]),
      );
    const by = actorId(actor);
    this.record(documentId, 'restauration', `Avant la restauration de la version ${source.number}`, by);
    await this.live.change(documentId, by, (doc) =>
      this.writeAs(documentId, by, doc, () => restoreContent(doc, content, meta)),
    );
    const after = this.record(documentId, 'restauration', `Restauration de la version ${source.number}`, by);
    this.audit.record({
      actorId: by,
      action: 'version.restore',
      target: { type: 'document', id: documentId },
      details: { from: source.id, number: source.number, version: after.id, espaceId: target.espaceId },
    });
    const name = by ? (this.namesOf([by]).get(by) ?? '') : '';
    const message: VersionRestoredMessage = {
      type: 'version-restored',
      version: after,
      from: { id: source.id, number: source.number },
      by: { id: by ?? '', name },
    };
    this.live.broadcast(documentId, message);
    return after;
  }

  /** Compares two versions, or a version with the current text (`to` = 'current'). */
  diff(actor: Actor, documentId: string, fromId: string, toId: string): DocumentDiffDto {
    this.readable(actor, documentId);
    const from = this.versions.get(documentId, fromId);
    const to = toId === 'current' ? null : this.versions.get(documentId, toId);
    if (!from || (toId !== 'current' && !to)) throw notFound('Cette version n’existe pas.');
    // As asked: from an older version to a newer one shows what was written since, the other
    // way round what going back would undo.
    const [older, newer] = [from, to];
    const attribution: DiffAttribution = {
      insertedBy: insertionLookup(this.clients.owners(documentId)),
      deletedBy: deletionLookup(this.store.deletions(documentId)),
    };
    const result = this.withVersionDoc(older.id, (oldDoc) =>
      newer
        ? this.withVersionDoc(newer.id, (newDoc) => diffDocuments(oldDoc, newDoc, attribution))
        : this.withCurrentDoc(documentId, (newDoc) => diffDocuments(oldDoc, newDoc, attribution)),
    );
    const names = this.namesOf([...result.authors, ...older.authorIds, ...(newer?.authorIds ?? [])]);
    const author = (id: string | null): VersionAuthorDto | null =>
      id ? { id, name: names.get(id) ?? 'Personne inconnue' } : null;
    return {
      from: this.dto(older, names),
      to: newer ? this.dto(newer, names) : null,
      sections: result.sections.map((s) => ({
        ...s,
        parts: s.parts.map((p) => ({ kind: p.kind, text: p.text, author: author(p.author) })),
      })),
      metadata: result.metadata,
      authors: result.authors.map((id) => author(id) as VersionAuthorDto),
    };
  }

  /**
   * Notes a change to a document by `authorId` (null: the system) at `at` (epoch ms), for
   * automatic versions. Called by the collaborative server for each accepted change.
   */
  noteChange(documentId: string, authorId: string | null, at = this.now().getTime()): void {
    const activity = this.activity.get(documentId) ?? { first: at, last: at, authors: new Set<string>() };
    activity.last = at;
    if (authorId) activity.authors.add(authorId);
    this.activity.set(documentId, activity);
  }

  /**
   * Records the automatic versions due at `now` (epoch ms): for each document changed since its
   * last version, after a pause of {@link VersionSchedule.pauseMs}, or when its first change since
   * then is {@link VersionSchedule.maxIntervalMs} old. Then thins that document's versions.
   * Returns the ids of the documents versioned. Called on a timer, and by tests with a clock.
   */
  tick(now = this.now().getTime()): string[] {
    const done: string[] = [];
    for (const [documentId, activity] of this.activity) {
      const paused = now - activity.last >= this.schedule.pauseMs;
      const long = now - activity.first >= this.schedule.maxIntervalMs;
      if (!paused && !long) continue;
      this.record(documentId, 'automatique', null, null, new Date(now));
      done.push(documentId);
    }
    return done;
  }

  /** Starts the timer of {@link tick} (every 30 s, or `everyMs`); returns the function that stops it. */
  startSchedule(everyMs = 30_000, onError: (error: unknown) => void = () => undefined): () => void {
    const timer = setInterval(() => {
      try {
        this.tick();
      } catch (error) {
        onError(error);
      }
    }, everyMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  /**
   * Records a version of `kind` from the current text (the live document, or the stored one), with
   * the authors of the changes since the previous version, and thins the document's automatic
   * versions. Used by named, restore and automatic versions, and by the review and publication
   * workflows.
   */
  record(
    documentId: string,
    kind: VersionKind,
    label: string | null,
    createdBy: string | null,
    at = this.now(),
  ): VersionDto {
    const activity = this.activity.get(documentId);
    this.activity.delete(documentId);
    const state = this.withCurrentDoc(documentId, (doc) => Y.encodeStateAsUpdateV2(doc));
    const record = this.versions.insert({
      id: randomUUID(),
      documentId,
      kind,
      label,
      state,
      authorIds: [...(activity?.authors ?? [])],
      createdBy,
      createdAt: at.toISOString(),
    });
    this.versions.remove(versionsToThin(this.versions.list(documentId), at));
    return this.dto(record, this.namesOf([...record.authorIds, ...(createdBy ? [createdBy] : [])]));
  }

  /**
   * Runs `write` (a change of the live `doc`, inside its transaction) under a new Yjs client id
   * owned by `userId` (`document_clients`), so that compares attribute what it writes to that
   * person: the text a restore brings back is « ajouté par » whoever restored it, instead of being
   * written under the server's own client id, which nobody owns (« Auteur inconnu »). The id is
   * drawn at random among those neither the document nor `document_clients` knows, and neither
   * `id + 1` (read as the owner of forwarded text, see {@link insertionLookup}). The server's own
   * id is given back afterwards, as `writeAsWriters` of sectionForwarding.ts does. Without a
   * person (`userId` null), `write` runs as it is.
   */
  private writeAs(documentId: string, userId: string | null, doc: Y.Doc, write: () => void): void {
    if (!userId) {
      write();
      return;
    }
    const owners = this.clients.owners(documentId);
    const taken = (id: number) => owners.has(id) || doc.store.clients.has(id);
    let client = randomInt(1, 0xffffffff);
    while (taken(client) || taken(client + 1)) client = randomInt(1, 0xffffffff);
    this.clients.claim(documentId, client, userId);
    const own = doc.clientID;
    doc.transact(() => {
      doc.clientID = client;
      try {
        write();
      } finally {
        doc.clientID = own;
      }
    });
  }

  private withVersionDoc<T>(versionId: string, read: (doc: Y.Doc) => T): T {
    const state = this.versions.state(versionId);
    if (!state) throw notFound('Cette version n’existe pas.');
    const doc = new Y.Doc();
    try {
      Y.applyUpdateV2(doc, state);
      return read(doc);
    } finally {
      doc.destroy();
    }
  }

  private withCurrentDoc<T>(documentId: string, read: (doc: Y.Doc) => T): T {
    return readCurrentDocument(this.live, this.store, documentId, read);
  }

  private dto(record: VersionRecord, names: ReadonlyMap<string, string>): VersionDto {
    return {
      id: record.id,
      number: record.number,
      kind: record.kind,
      label: record.label,
      authors: record.authorIds.map((id) => ({ id, name: names.get(id) ?? 'Personne inconnue' })),
      createdAt: record.createdAt,
      createdBy: record.createdBy,
    };
  }

  private namesOf(ids: readonly string[]): Map<string, string> {
    const names = new Map<string, string>();
    for (const id of new Set(ids)) {
      const user = this.accounts.findUserById(id);
      if (user) names.set(id, user.name);
    }
    return names;
  }

  /** The document's target if the actor may read it; otherwise 404, whoever asks. */
  private readable(actor: Actor, documentId: string): DocumentTarget {
    const target = storedDocumentTarget(this.documents, documentId);
    if (!target || !can(actor, 'document.read', target)) throw notFound('Ce document n’existe pas.');
    return target;
  }

  /**
   * The document's target if the actor may edit it: 404 if they cannot read it, 409 if it is
   * archived, 403 otherwise ({@link assertMayChange}).
   */
  private editable(actor: Actor, documentId: string, message: string): DocumentTarget {
    const target = this.readable(actor, documentId);
    assertMayChange(actor, 'document.edit', target, message);
    return target;
  }
}

/** What {@link DiffAttribution} answers: an author and how many consecutive ids share it. */
type AuthorSpan = ReturnType<DiffAttribution['insertedBy']>;

/**
 * Who deleted what, from each person's deleted ranges (as the update log folds them), asked about
 * spans of consecutive ids: per Yjs client, the ranges flattened into sorted ranges that do not
 * overlap (a character two people deleted at once goes to the range that starts first, then to
 * the smaller user id), found by binary search. The answer covers the asked span up to the next
 * change of author (null where nobody recorded deleted it: by the system, or never deleted).
 */
export function deletionLookup(
  deletions: ReadonlyMap<string, DeletedRanges>,
): (client: number, clock: number, length: number) => AuthorSpan {
  const byClient = new Map<number, [number, number, string][]>();
  for (const [userId, ranges] of deletions)
    for (const [client, list] of Object.entries(ranges)) {
      const entries = byClient.get(Number(client)) ?? [];
      for (const [clock, len] of list) if (len > 0) entries.push([clock, clock + len, userId]);
      byClient.set(Number(client), entries);
    }
  const flat = new Map<number, [number, number, string][]>();
  for (const [client, entries] of byClient) {
    entries.sort((a, b) => a[0] - b[0] || (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0));
    const out: [number, number, string][] = [];
    let covered = -Infinity;
    for (const [start, end, userId] of entries) {
      if (end <= covered) continue;
      const from = Math.max(start, covered);
      const last = out[out.length - 1];
      if (last && last[1] === from && last[2] === userId) last[1] = end;
      else out.push([from, end, userId]);
      covered = end;
    }
    flat.set(client, out);
  }
  return (client, clock, length) => {
    const ranges = flat.get(client);
    if (!ranges) return { author: null, length };
    // The last range starting at or before `clock`.
    let lo = 0;
    let hi = ranges.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if ((ranges[mid] as [number, number, string])[0] <= clock) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    const range = ranges[found];
    if (range && clock < range[1]) return { author: range[2], length: Math.min(length, range[1] - clock) };
    const next = ranges[found + 1];
    return { author: null, length: next ? Math.min(length, next[0] - clock) : length };
  };
}

/**
 * Who wrote characters, from the owner of each Yjs client id (`document_clients`). Text the
 * server forwarded for a writer (a late keystroke carried into a moved section, a joined
 * paragraph written again) is written under the id just below the writer's
 * (`sectionForwarding.ts`), hence the owner of `client + 1` when `client` has none.
 */
export function insertionLookup(
  owners: ReadonlyMap<number, string>,
): (client: number, clock: number, length: number) => AuthorSpan {
  return (client, _clock, length) => ({
    author: owners.get(client) ?? owners.get(client + 1) ?? null,
    length,
  });
}

const actorId = (actor: Actor): string | null => (actor.kind === 'anonymous' ? null : actor.userId);
