/**
 * Numbered schema migrations, applied in order at start inside one transaction each. A migration
 * is never edited once released: add a new one. `PRAGMA user_version` holds the last applied number.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const migrations: Migration[] = [
  {
    version: 1,
    name: 'documents and their collaborative state',
    sql: `
      CREATE TABLE documents (
        id          TEXT PRIMARY KEY,
        kind        TEXT NOT NULL CHECK (kind IN ('fiche', 'synthese')),
        title       TEXT NOT NULL,
        created_at  TEXT NOT NULL,
        updated_at  TEXT NOT NULL,
        archived_at TEXT
      ) STRICT;

      -- Compacted Yjs state: one blob per document, rewritten by compaction.
      CREATE TABLE document_states (
        document_id TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
        state       BLOB NOT NULL,
        updated_at  TEXT NOT NULL
      ) STRICT;

      -- Every update the server accepted, appended before it is acknowledged or broadcast.
      -- Compaction folds rows into document_states and deletes them in the same transaction.
      CREATE TABLE document_updates (
        seq         INTEGER PRIMARY KEY AUTOINCREMENT,
        document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        data        BLOB NOT NULL,
        created_at  INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX document_updates_by_document ON document_updates (document_id, seq);
    `,
  },
  {
    version: 2,
    name: 'accounts, espaces, roles, assignments, invitations, resets, audit',
    sql: `
      CREATE TABLE users (
        id            TEXT PRIMARY KEY,
        email         TEXT NOT NULL UNIQUE,          -- stored lowercased
        name          TEXT NOT NULL,
        password_hash TEXT NOT NULL,                 -- scrypt, see services/passwords.ts
        is_admin      INTEGER NOT NULL DEFAULT 0 CHECK (is_admin IN (0, 1)),
        disabled_at   TEXT,
        created_at    TEXT NOT NULL
      ) STRICT;

      -- The cookie holds a random token; only its SHA-256 is stored.
      CREATE TABLE sessions (
        id           TEXT PRIMARY KEY,               -- sha256(token), hex
        user_id      TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        created_at   INTEGER NOT NULL,               -- epoch ms
        last_seen_at INTEGER NOT NULL,
        expires_at   INTEGER NOT NULL,
        revoked_at   INTEGER,
        user_agent   TEXT,
        ip           TEXT
      ) STRICT;
      CREATE INDEX sessions_by_user ON sessions (user_id);

      CREATE TABLE espaces (
        id         TEXT PRIMARY KEY,
        name       TEXT NOT NULL,
        created_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE memberships (
        espace_id  TEXT NOT NULL REFERENCES espaces(id) ON DELETE CASCADE,
        user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        role       TEXT NOT NULL CHECK (role IN ('animateur', 'rapporteur', 'membre')),
        created_at TEXT NOT NULL,
        PRIMARY KEY (espace_id, user_id)
      ) STRICT;
      CREATE INDEX memberships_by_user ON memberships (user_id);

      ALTER TABLE documents ADD COLUMN espace_id TEXT REFERENCES espaces(id);
      CREATE INDEX documents_by_espace ON documents (espace_id);

      CREATE TABLE assignments (
        document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        assigned_by TEXT REFERENCES users(id),
        assigned_at TEXT NOT NULL,
        PRIMARY KEY (document_id, user_id)
      ) STRICT;
      CREATE INDEX assignments_by_user ON assignments (user_id);

      CREATE TABLE invitations (
        id          TEXT PRIMARY KEY,
        token_hash  TEXT NOT NULL UNIQUE,
        espace_id   TEXT NOT NULL REFERENCES espaces(id) ON DELETE CASCADE,
        email       TEXT NOT NULL,
        role        TEXT NOT NULL CHECK (role IN ('animateur', 'rapporteur', 'membre')),
        created_by  TEXT REFERENCES users(id),
        created_at  INTEGER NOT NULL,
        expires_at  INTEGER NOT NULL,
        accepted_at INTEGER,
        revoked_at  INTEGER
      ) STRICT;
      CREATE INDEX invitations_by_espace ON invitations (espace_id);

      CREATE TABLE password_resets (
        id         TEXT PRIMARY KEY,
        token_hash TEXT NOT NULL UNIQUE,
        user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        created_by TEXT REFERENCES users(id),
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        used_at    INTEGER
      ) STRICT;

      -- Failed logins, per account and per address, for rate limiting (shared by every process).
      CREATE TABLE login_failures (
        key TEXT NOT NULL,                            -- 'email:<email>' or 'ip:<address>'
        at  INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX login_failures_by_key ON login_failures (key, at);

      CREATE TABLE audit_log (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        at          TEXT NOT NULL,
        actor_id    TEXT,                             -- null: the system, the CLI or an anonymous caller
        action      TEXT NOT NULL,
        target_type TEXT,
        target_id   TEXT,
        details     TEXT,                             -- JSON
        ip          TEXT
      ) STRICT;
      CREATE INDEX audit_log_by_time ON audit_log (at);

      -- Instance-wide settings shared by the server and the CLI (e.g. the token signing key).
      CREATE TABLE settings (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 3,
    name: 'fiches: metadata columns, themes, activity, uploaded files',
    sql: `
      -- Metadata mirrored from each document's 'meta' Y.Map when it is stored, for catalogue queries.
      ALTER TABLE documents ADD COLUMN categorie TEXT;
      ALTER TABLE documents ADD COLUMN territoire TEXT;
      ALTER TABLE documents ADD COLUMN structure TEXT NOT NULL DEFAULT '';
      ALTER TABLE documents ADD COLUMN structure_type TEXT;
      ALTER TABLE documents ADD COLUMN public TEXT NOT NULL DEFAULT '';
      ALTER TABLE documents ADD COLUMN annee INTEGER;
      ALTER TABLE documents ADD COLUMN contact TEXT NOT NULL DEFAULT '';
      ALTER TABLE documents ADD COLUMN themes TEXT NOT NULL DEFAULT '[]';      -- JSON array of theme ids
      ALTER TABLE documents ADD COLUMN mots_cles TEXT NOT NULL DEFAULT '[]';   -- JSON array
      -- Sections as last stored (JSON: id, key, title, hash, characters), and derived figures.
      ALTER TABLE documents ADD COLUMN sections TEXT NOT NULL DEFAULT '[]';
      ALTER TABLE documents ADD COLUMN pages REAL NOT NULL DEFAULT 0;
      ALTER TABLE documents ADD COLUMN last_editor_id TEXT REFERENCES users(id) ON DELETE SET NULL;
      DROP INDEX documents_by_espace;
      CREATE INDEX documents_by_espace ON documents (espace_id, archived_at, updated_at);

      -- Themes are per espace and edited by the animateur; archived, never deleted, once used.
      CREATE TABLE espace_themes (
        espace_id   TEXT NOT NULL REFERENCES espaces(id) ON DELETE CASCADE,
        id          TEXT NOT NULL,
        label       TEXT NOT NULL,
        position    INTEGER NOT NULL,
        archived_at TEXT,
        PRIMARY KEY (espace_id, id)
      ) STRICT;
      INSERT INTO espace_themes (espace_id, id, label, position)
        SELECT e.id, t.id, t.label, t.position FROM espaces e, (
          SELECT 'conferences-familiales' AS id, 'Conférences familiales' AS label, 0 AS position
          UNION ALL SELECT 'aller-vers', 'Aller-vers', 1
          UNION ALL SELECT 'pair-aidance', 'Pair-aidance', 2
          UNION ALL SELECT 'coordination', 'Coordination et interventions pluridisciplinaires', 3
          UNION ALL SELECT 'pouvoir-d-agir', 'Développement du pouvoir d’agir', 4
        ) t;

      -- Who changed what, when: one row per person per stored batch of edits.
      CREATE TABLE document_activity (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        user_id     TEXT REFERENCES users(id) ON DELETE SET NULL,
        kind        TEXT NOT NULL CHECK (kind IN ('created', 'edited', 'archived', 'restored')),
        sections    TEXT NOT NULL DEFAULT '[]',       -- JSON: titles of the sections changed
        fields      TEXT NOT NULL DEFAULT '[]',       -- JSON: metadata fields changed
        at          TEXT NOT NULL
      ) STRICT;
      CREATE INDEX document_activity_by_document ON document_activity (document_id, at);
      CREATE INDEX document_activity_by_time ON document_activity (at);

      -- Uploaded files, stored once by content hash under DATA_DIR/files.
      CREATE TABLE files (
        hash       TEXT PRIMARY KEY,                  -- sha256, hex
        mime       TEXT NOT NULL,
        size       INTEGER NOT NULL,
        created_at TEXT NOT NULL
      ) STRICT;
      -- Which document a file was uploaded into: reading the file needs read access to one of them.
      CREATE TABLE document_files (
        document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        hash        TEXT NOT NULL REFERENCES files(hash),
        uploaded_by TEXT REFERENCES users(id) ON DELETE SET NULL,
        uploaded_at TEXT NOT NULL,
        PRIMARY KEY (document_id, hash)
      ) STRICT;
      CREATE INDEX document_files_by_hash ON document_files (hash);
    `,
  },
  {
    version: 5,
    name: 'stored documents that cannot be read: fallback state and quarantine',
    sql: `
      -- The state each compaction replaced: if the current state ever fails to load, the document
      -- is served from this one and the readable log rather than not at all.
      ALTER TABLE document_states ADD COLUMN previous_state BLOB;

      -- What could not be read when its document was loaded (a log row or a whole state), moved
      -- aside instead of being applied or deleted, for an operator to inspect.
      CREATE TABLE document_quarantine (
        id             INTEGER PRIMARY KEY AUTOINCREMENT,
        document_id    TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        kind           TEXT NOT NULL CHECK (kind IN ('update', 'state')),
        data           BLOB NOT NULL,
        reason         TEXT NOT NULL,
        quarantined_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX document_quarantine_by_document ON document_quarantine (document_id);
    `,
  },
  {
    version: 6,
    name: 'section forwardings: where the items of a moved or restored section went',
    sql: `
      -- One row per moved (or restored) section: its old element and the element that replaced it
      -- (Yjs item ids). Edits arriving late for the old element are re-applied in the new one
      -- (packages/editor sectionForwarding.ts). Kept for a limited time (SectionMovesExtension).
      CREATE TABLE section_forwardings (
        document_id     TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        id              TEXT NOT NULL,
        old_root_client INTEGER NOT NULL,
        old_root_clock  INTEGER NOT NULL,
        new_root_client INTEGER NOT NULL,
        new_root_clock  INTEGER NOT NULL,
        created_at      INTEGER NOT NULL,              -- epoch ms
        PRIMARY KEY (document_id, id)
      ) STRICT;
      CREATE INDEX section_forwardings_by_time ON section_forwardings (created_at);

      -- The item map of each forwarding, appended in chunks (the copy, then late edits re-applied).
      CREATE TABLE section_forwarding_entries (
        seq           INTEGER PRIMARY KEY AUTOINCREMENT,
        document_id   TEXT NOT NULL,
        forwarding_id TEXT NOT NULL,
        entries       TEXT NOT NULL,                   -- JSON, see encodeForwardEntries
        FOREIGN KEY (document_id, forwarding_id)
          REFERENCES section_forwardings (document_id, id) ON DELETE CASCADE
      ) STRICT;
      CREATE INDEX section_forwarding_entries_by_forwarding
        ON section_forwarding_entries (document_id, forwarding_id, seq);
    `,
  },
  {
    version: 7,
    name: 'who writes under each Yjs client id',
    sql: `
      -- The person who first wrote under each Yjs client id of a document: nobody else may write
      -- under it (someone else's id would make the server drop that person's later changes as
      -- already known).
      CREATE TABLE document_clients (
        document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        client_id   INTEGER NOT NULL,
        user_id     TEXT NOT NULL,
        claimed_at  TEXT NOT NULL,
        PRIMARY KEY (document_id, client_id)
      ) STRICT;
    `,
  },
  {
    version: 8,
    name: 'comment threads, comments, notifications and notification preferences',
    sql: `
      -- A thread is anchored outside the document text (decision 3): two Yjs relative positions
      -- (Y.encodeRelativePosition), the quoted words and some context to re-anchor when the
      -- positions no longer cover the words. No anchor: a thread about the whole section.
      CREATE TABLE comment_threads (
        id           TEXT PRIMARY KEY,
        document_id  TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        section_id   TEXT NOT NULL,
        anchor_start BLOB,
        anchor_end   BLOB,
        quote        TEXT NOT NULL,
        prefix       TEXT NOT NULL DEFAULT '',
        suffix       TEXT NOT NULL DEFAULT '',
        orphaned     INTEGER NOT NULL DEFAULT 0,
        status       TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
        resolved_by  TEXT REFERENCES users(id),
        resolved_at  TEXT,
        created_by   TEXT NOT NULL REFERENCES users(id),
        created_at   TEXT NOT NULL,
        -- Moderation hides a thread; nothing is deleted.
        deleted_at   TEXT,
        deleted_by   TEXT REFERENCES users(id)
      ) STRICT;
      CREATE INDEX comment_threads_by_document ON comment_threads (document_id, deleted_at, status);

      CREATE TABLE comments (
        id         TEXT PRIMARY KEY,
        thread_id  TEXT NOT NULL REFERENCES comment_threads(id) ON DELETE CASCADE,
        author_id  TEXT NOT NULL REFERENCES users(id),
        body       TEXT NOT NULL,
        -- User ids of valid mentions (JSON array), decided when the body was written.
        mentions   TEXT NOT NULL DEFAULT '[]',
        created_at TEXT NOT NULL,
        edited_at  TEXT,
        -- A deleted message keeps its place; its body is kept for the audit, never served.
        deleted_at TEXT,
        deleted_by TEXT REFERENCES users(id)
      ) STRICT;
      CREATE INDEX comments_by_thread ON comments (thread_id, created_at);

      CREATE TABLE notifications (
        id          TEXT PRIMARY KEY,
        user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        kind        TEXT NOT NULL CHECK (kind IN ('mention', 'reply', 'resolved')),
        document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        thread_id   TEXT NOT NULL REFERENCES comment_threads(id) ON DELETE CASCADE,
        comment_id  TEXT REFERENCES comments(id) ON DELETE CASCADE,
        actor_id    TEXT NOT NULL REFERENCES users(id),
        created_at  TEXT NOT NULL,
        read_at     TEXT,
        -- Set once the notification went out by email (immediately or in a digest).
        emailed_at  TEXT
      ) STRICT;
      CREATE INDEX notifications_by_user ON notifications (user_id, created_at);
      CREATE INDEX notifications_to_email ON notifications (emailed_at, user_id) WHERE emailed_at IS NULL;

      CREATE TABLE notification_preferences (
        user_id        TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
        email          TEXT NOT NULL CHECK (email IN ('none', 'immediate', 'daily')),
        last_digest_at TEXT
      ) STRICT;
    `,
  },
  {
    version: 9,
    name: 'words last seen under each comment thread',
    sql: `
      -- The words under a thread's anchor when the server last located it, and their context:
      -- once someone typed inside the quoted words, they are what re-anchoring must search.
      -- NULL until they first differ from the quote.
      ALTER TABLE comment_threads ADD COLUMN seen_quote TEXT;
      ALTER TABLE comment_threads ADD COLUMN seen_prefix TEXT NOT NULL DEFAULT '';
      ALTER TABLE comment_threads ADD COLUMN seen_suffix TEXT NOT NULL DEFAULT '';
    `,
  },
  {
    version: 10,
    name: 'assignments kept while their holder cannot write',
    sql: `
      -- A rapporteur made membre keeps her assignments here, inactive (she cannot write), and gets
      -- them back when she is a rapporteur or an animateur again (issue 15). Same columns as
      -- assignments; a row is in one table or the other, never both.
      CREATE TABLE suspended_assignments (
        document_id  TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        user_id      TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        assigned_by  TEXT REFERENCES users(id),
        assigned_at  TEXT NOT NULL,
        suspended_at TEXT NOT NULL,
        PRIMARY KEY (document_id, user_id)
      ) STRICT;
      CREATE INDEX suspended_assignments_by_user ON suspended_assignments (user_id);
    `,
  },
  {
    version: 11,
    name: 'version history',
    sql: `
      -- Who wrote each accepted update (issue 11): the account of the connection, or of the person
      -- a server-side change is made for (a restore). NULL for older rows and system changes.
      ALTER TABLE document_updates ADD COLUMN author_id TEXT;
      -- What each person deleted in a document, as Yjs delete-set ranges (JSON: {"client":
      -- [[clock, len], ...]}), folded from the log at each compaction: a compare names who deleted
      -- each word after the log rows are gone.
      CREATE TABLE document_deletions (
        document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        user_id     TEXT NOT NULL,
        ranges      TEXT NOT NULL,
        PRIMARY KEY (document_id, user_id)
      ) STRICT;
      -- Versions: the document at one time, numbered per document. Only 'automatique' versions
      -- are ever thinned. The state is in its own table, so that listing versions never reads it.
      CREATE TABLE document_versions (
        id          TEXT PRIMARY KEY,
        document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        number      INTEGER NOT NULL,
        kind        TEXT NOT NULL
                    CHECK (kind IN ('automatique', 'nommee', 'revue', 'publication', 'restauration')),
        label       TEXT,
        -- JSON array of the user ids whose changes went into this version since the previous one.
        authors     TEXT NOT NULL DEFAULT '[]',
        created_by  TEXT REFERENCES users(id),
        created_at  TEXT NOT NULL,
        UNIQUE (document_id, number)
      ) STRICT;
      -- The state of each version (Yjs V2 encoding): in full (base NULL), or as what it adds to
      -- the version it is based on (a Yjs diff), at most 20 steps from a full one.
      CREATE TABLE document_version_states (
        version_id TEXT PRIMARY KEY REFERENCES document_versions(id) ON DELETE CASCADE,
        base       TEXT REFERENCES document_versions(id),
        depth      INTEGER NOT NULL DEFAULT 0,
        state      BLOB NOT NULL
      ) STRICT;
      CREATE INDEX document_version_states_by_base ON document_version_states (base);
      CREATE INDEX document_versions_by_document ON document_versions (document_id, number DESC);
    `,
  },
  {
    version: 12,
    name: 'section review and approval',
    sql: `
      -- The review state of each section of a document (issue 12). A section without a row is a
      -- brouillon. The approval keeps the section's content hash and the review version taken at
      -- that moment: an approved section whose hash changed since is stale (computed, not stored).
      CREATE TABLE section_reviews (
        document_id         TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        section_id          TEXT NOT NULL,
        state               TEXT NOT NULL
                            CHECK (state IN ('brouillon', 'soumise', 'approuvee', 'modifications_demandees')),
        locked              INTEGER NOT NULL DEFAULT 0 CHECK (locked IN (0, 1)),
        locked_by           TEXT REFERENCES users(id),
        locked_at           TEXT,
        approved_hash       TEXT,
        approved_version_id TEXT REFERENCES document_versions(id) ON DELETE SET NULL,
        -- The last decision (approve, request for changes): who, when; the last message.
        decided_by          TEXT REFERENCES users(id),
        decided_at          TEXT,
        message             TEXT,
        -- The thread a request for changes opened on the section (its message is the first comment).
        thread_id           TEXT REFERENCES comment_threads(id) ON DELETE SET NULL,
        submitted_by        TEXT REFERENCES users(id),
        submitted_at        TEXT,
        -- Bumped at each step: a step computed from an older row is refused (two decisions racing).
        revision            INTEGER NOT NULL DEFAULT 1,
        PRIMARY KEY (document_id, section_id)
      ) STRICT;
      CREATE INDEX section_reviews_by_state ON section_reviews (state, submitted_at);

      -- The « journal de relecture »: every decision, never changed (exported as CSV).
      CREATE TABLE review_events (
        id            INTEGER PRIMARY KEY AUTOINCREMENT,
        document_id   TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        section_id    TEXT NOT NULL,
        -- The section's title when the decision was taken (titles change; the journal does not).
        section_title TEXT NOT NULL,
        action        TEXT NOT NULL
                      CHECK (action IN ('submit', 'approve', 'request_changes', 'lock', 'unlock')),
        from_state    TEXT NOT NULL,
        to_state      TEXT NOT NULL,
        actor_id      TEXT REFERENCES users(id),
        message       TEXT,
        version_id    TEXT REFERENCES document_versions(id) ON DELETE SET NULL,
        section_hash  TEXT,
        at            TEXT NOT NULL
      ) STRICT;
      CREATE INDEX review_events_by_document ON review_events (document_id, id);

      -- Notifications of review decisions have no thread (a submission, an approval): the thread
      -- becomes optional, the section is named, and the kinds grow. SQLite changes a CHECK by
      -- rebuilding the table.
      CREATE TABLE notifications_new (
        id          TEXT PRIMARY KEY,
        user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        kind        TEXT NOT NULL CHECK (kind IN ('mention', 'reply', 'resolved',
                    'review_submitted', 'review_approved', 'review_changes_requested')),
        document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        thread_id   TEXT REFERENCES comment_threads(id) ON DELETE CASCADE,
        comment_id  TEXT REFERENCES comments(id) ON DELETE CASCADE,
        section_id  TEXT,
        -- The section's title and the decision's message, as they were (no thread keeps them).
        section_title TEXT,
        message     TEXT,
        actor_id    TEXT NOT NULL REFERENCES users(id),
        created_at  TEXT NOT NULL,
        read_at     TEXT,
        emailed_at  TEXT
      ) STRICT;
      INSERT INTO notifications_new (id, user_id, kind, document_id, thread_id, comment_id, actor_id,
          created_at, read_at, emailed_at)
        SELECT id, user_id, kind, document_id, thread_id, comment_id, actor_id, created_at, read_at,
          emailed_at FROM notifications;
      DROP TABLE notifications;
      ALTER TABLE notifications_new RENAME TO notifications;
      CREATE INDEX notifications_by_user ON notifications (user_id, created_at);
      CREATE INDEX notifications_to_email ON notifications (emailed_at, user_id) WHERE emailed_at IS NULL;
    `,
  },
  {
    version: 13,
    name: 'publications',
    sql: `
      -- A document's address on the public portal (/pratiques/<slug>), chosen at its first
      -- publication and kept whatever its title becomes, so links never break (issue 13).
      CREATE TABLE publication_slugs (
        document_id TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
        slug        TEXT NOT NULL UNIQUE
      ) STRICT;
      -- Publication N of a document: its content frozen when the animateur published it (the
      -- publication version, ProseMirror JSON, sanitized HTML, plain text, metadata), never
      -- changed afterwards. Hidden (unpublished) ones are kept and can be shown again.
      CREATE TABLE publications (
        id             TEXT PRIMARY KEY,
        document_id    TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        number         INTEGER NOT NULL,
        version_id     TEXT REFERENCES document_versions(id) ON DELETE SET NULL,
        kind           TEXT NOT NULL,
        title          TEXT NOT NULL,
        metadata       TEXT NOT NULL,
        content        TEXT NOT NULL,
        html           TEXT NOT NULL,
        text           TEXT NOT NULL,
        -- JSON {sectionId: hash} at publication: the draft moved on when they differ.
        section_hashes TEXT NOT NULL,
        published_by   TEXT REFERENCES users(id),
        published_at   TEXT NOT NULL,
        hidden_at      TEXT,
        hidden_by      TEXT REFERENCES users(id),
        UNIQUE (document_id, number)
      ) STRICT;
      CREATE INDEX publications_by_date ON publications (published_at);
      -- Full-text search of what is published and shown (the newest visible publication of each
      -- document), French words reduced to their stems at index and query time; the rowid is the
      -- publication's.
      CREATE VIRTUAL TABLE publication_search USING fts5(
        title, keywords, body, tokenize = 'unicode61 remove_diacritics 2'
      );
    `,
  },
  {
    version: 14,
    name: 'reuse signals',
    sql: `
      -- « Je m'inspire de cette pratique » (issue 13): a visitor of the portal, without an account,
      -- says where and in which kind of structure they try a published practice. Held for the
      -- animateur's moderation; only approved ones are shown. The address is kept only as a keyed
      -- hash, to cap floods.
      CREATE TABLE reuse_signals (
        id             TEXT PRIMARY KEY,
        document_id    TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        territoire     TEXT NOT NULL,
        structure_type TEXT NOT NULL,
        structure      TEXT NOT NULL DEFAULT '',
        email          TEXT,
        message        TEXT NOT NULL DEFAULT '',
        status         TEXT NOT NULL DEFAULT 'en_attente'
                       CHECK (status IN ('en_attente', 'approuve', 'refuse')),
        address_hash   TEXT NOT NULL,
        created_at     TEXT NOT NULL,
        moderated_by   TEXT REFERENCES users(id),
        moderated_at   TEXT
      ) STRICT;
      CREATE INDEX reuse_signals_by_document ON reuse_signals (document_id, status, created_at);
      CREATE INDEX reuse_signals_by_address ON reuse_signals (address_hash, created_at);
    `,
  },
  {
    version: 15,
    name: 'full-text search of drafts and comments',
    sql: `
      -- What the catalogue's full-text search holds of each document (issue 18): one entry per
      -- section of the draft as last stored (its title), and one per comment thread. The hash is
      -- the section's content hash (or a hash of the thread's messages), so that a store re-reads
      -- only the sections that changed. The id is the rowid of the entry's draft_search row. Small
      -- rows: a search reads thousands of them.
      CREATE TABLE draft_search_entries (
        id          INTEGER PRIMARY KEY,
        document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        section_id  TEXT,
        thread_id   TEXT REFERENCES comment_threads(id) ON DELETE CASCADE,
        title       TEXT NOT NULL DEFAULT '',
        hash        TEXT NOT NULL,
        CHECK ((section_id IS NULL) <> (thread_id IS NULL))
      ) STRICT;
      -- The plain text of each entry (the section's blocks, or the thread's messages not deleted,
      -- one per line), for the highlighted snippets of the documents shown.
      CREATE TABLE draft_search_texts (
        entry_id INTEGER PRIMARY KEY REFERENCES draft_search_entries(id) ON DELETE CASCADE,
        text     TEXT NOT NULL
      ) STRICT;
      CREATE UNIQUE INDEX draft_search_entries_by_section ON draft_search_entries (document_id, section_id)
        WHERE section_id IS NOT NULL;
      CREATE UNIQUE INDEX draft_search_entries_by_thread ON draft_search_entries (thread_id)
        WHERE thread_id IS NOT NULL;
      -- The index itself: French stems (services/frenchText.ts) of each entry's title and text, as
      -- publication_search keeps them; contentless (the text is in draft_search_texts), rows
      -- deleted with their entry, whatever deletes it (a store, a thread, a cascade).
      CREATE VIRTUAL TABLE draft_search USING fts5(
        title, body, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2'
      );
      CREATE TRIGGER draft_search_entries_deleted AFTER DELETE ON draft_search_entries BEGIN
        DELETE FROM draft_search WHERE rowid = old.id;
      END;
      -- The documents whose sections are in the index, and when they were last indexed. A document
      -- without a row (every document of a database from before this migration, and a new one
      -- until its first store) is indexed by the search service before it next searches, then in
      -- the background (services/draftSearchService.ts).
      CREATE TABLE draft_search_documents (
        document_id TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
        indexed_at  TEXT NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 16,
    name: 'publication theme labels',
    sql: `
      -- The labels of a publication's themes as they were when it was published (issue 13): a
      -- theme renamed later does not change a frozen page. JSON object, theme id → label.
      -- Publications from before keep '{}' and show today's labels.
      ALTER TABLE publications ADD COLUMN theme_labels TEXT NOT NULL DEFAULT '{}';
    `,
  },
  {
    version: 17,
    name: 'index positions in the update log',
    sql: `
      -- Where in the update log a document's index was read (issue 17: after a crash, the index
      -- of a document edited just before may lag its text). documents.indexed_seq: every update
      -- of the document up to this log position was in the state the catalogue mirror and the
      -- draft search were read from. document_states.last_seq: the last of the document's log rows
      -- a compaction folded into the state. A document whose log rows or state go past its
      -- indexed_seq is indexed again at start-up (collab/IndexingExtension.ts, catchUpStale).
      -- Existing documents start at 0: those with log rows are indexed again once.
      ALTER TABLE document_states ADD COLUMN last_seq INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE documents ADD COLUMN indexed_seq INTEGER NOT NULL DEFAULT 0;
    `,
  },
];
