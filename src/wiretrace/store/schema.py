"""The versioned SQLite schema: each migration moves ``PRAGMA user_version`` up by one.

Never edit a migration that has shipped; add a new one. A store created by a newer
wiretrace (higher user_version than this code knows) is refused, not downgraded.
"""

MIGRATIONS: tuple[str, ...] = (
    # 1: documents, their earlier versions, runs and the ledger of input units.
    """
    CREATE TABLE runs (
        run_id INTEGER PRIMARY KEY,
        command TEXT NOT NULL,
        config TEXT NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        summary TEXT
    );
    CREATE TABLE documents (
        key INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        version INTEGER NOT NULL,
        content_hash TEXT NOT NULL,
        source_path TEXT NOT NULL,
        title TEXT, date TEXT, url TEXT, source TEXT, byline TEXT,
        language TEXT NOT NULL,
        credits TEXT NOT NULL,
        text TEXT NOT NULL,
        original TEXT NOT NULL,
        removed TEXT NOT NULL,
        kept TEXT NOT NULL,
        sentences TEXT NOT NULL,
        run_id INTEGER REFERENCES runs(run_id),
        ingested_at TEXT NOT NULL
    );
    CREATE TABLE document_versions (
        id TEXT NOT NULL,
        version INTEGER NOT NULL,
        content_hash TEXT NOT NULL,
        title TEXT, date TEXT,
        text TEXT NOT NULL,
        original TEXT NOT NULL,
        replaced_at TEXT NOT NULL,
        PRIMARY KEY (id, version)
    );
    CREATE TABLE ledger (
        seq INTEGER PRIMARY KEY,
        run_id INTEGER NOT NULL REFERENCES runs(run_id),
        unit TEXT NOT NULL,
        source_path TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('stored', 'updated', 'unchanged', 'rejected')),
        doc_id TEXT,
        reason TEXT
    );
    CREATE INDEX ledger_run ON ledger(run_id, status);
    """,
    # 2: fingerprints for detection, pair verdicts and story membership.
    """
    CREATE TABLE fingerprints (
        doc_key INTEGER PRIMARY KEY REFERENCES documents(key) ON DELETE CASCADE,
        version INTEGER NOT NULL,
        shingles BLOB NOT NULL,
        anchors BLOB NOT NULL,
        vocabulary BLOB NOT NULL
    );
    CREATE TABLE pairs (
        a TEXT NOT NULL,
        b TEXT NOT NULL,
        type TEXT NOT NULL,
        coverage_a REAL NOT NULL,
        coverage_b REAL NOT NULL,
        direction TEXT NOT NULL,
        credited INTEGER NOT NULL,
        similarity REAL NOT NULL,
        passages TEXT NOT NULL,
        reasons TEXT NOT NULL,
        PRIMARY KEY (a, b)
    );
    CREATE INDEX pairs_b ON pairs(b);
    CREATE TABLE stories (
        doc_id TEXT PRIMARY KEY,
        story_id TEXT NOT NULL,
        representative TEXT NOT NULL,
        duplicate_group INTEGER
    );
    CREATE INDEX stories_story ON stories(story_id);
    """,
    # 3: sentence embeddings, one matrix per document version and encoder.
    """
    CREATE TABLE embeddings (
        doc_key INTEGER NOT NULL REFERENCES documents(key) ON DELETE CASCADE,
        encoder TEXT NOT NULL,
        version INTEGER NOT NULL,
        num_sentences INTEGER NOT NULL,
        dim INTEGER NOT NULL,
        vectors BLOB NOT NULL,
        PRIMARY KEY (doc_key, encoder)
    );
    """,
    # 4: full-text search over titles and clean texts (the web UI's search box). The index
    # holds no copy of the text (external content) and triggers keep it in step with
    # every insert, update and delete of a document.
    """
    CREATE VIRTUAL TABLE documents_fts USING fts5(
        title, text, content='documents', content_rowid='key',
        tokenize='unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN
        INSERT INTO documents_fts(rowid, title, text) VALUES (new.key, new.title, new.text);
    END;
    CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents BEGIN
        INSERT INTO documents_fts(documents_fts, rowid, title, text)
        VALUES ('delete', old.key, old.title, old.text);
    END;
    CREATE TRIGGER documents_fts_update AFTER UPDATE OF title, text ON documents BEGIN
        INSERT INTO documents_fts(documents_fts, rowid, title, text)
        VALUES ('delete', old.key, old.title, old.text);
        INSERT INTO documents_fts(rowid, title, text) VALUES (new.key, new.title, new.text);
    END;
    INSERT INTO documents_fts(documents_fts) VALUES ('rebuild');
    """,
    # 5: a fingerprint stays "pending" until the pairs of its document are all detected,
    # so a detection killed halfway is finished by the next run. Rows that exist already
    # were detected by the run that wrote them, hence the default of 1.
    """
    ALTER TABLE fingerprints ADD COLUMN detected INTEGER NOT NULL DEFAULT 1;
    """,
    # 6: what reading mended in a unit that was stored (bytes that are not UTF-8 replaced,
    # mojibake repaired, a guessed legacy encoding), as a JSON list of sentences; NULL when
    # nothing was. Rows that exist already were written without notes, hence NULL.
    """
    ALTER TABLE ledger ADD COLUMN notes TEXT;
    """,
    # 7: fingerprints gained formula frame grams (corpus statistics for templates). Those
    # written before have none, so they are dropped: the next detection fingerprints every
    # document again and, its fingerprints being pending, re-examines every pair.
    """
    DELETE FROM fingerprints;
    """,
    # 8: divergences and story facts are computed once per detection and stored; views
    # read them. NULL divergences (pairs stored before) are computed when read. A story's
    # facts are kept with the key of what they were computed from (its members' versions
    # and pairs), so a detection recomputes only the facts of stories that changed.
    """
    ALTER TABLE pairs ADD COLUMN divergences TEXT;
    CREATE TABLE story_facts (
        story_id TEXT PRIMARY KEY,
        key TEXT NOT NULL,
        facts TEXT NOT NULL
    );
    """,
    # 9: a detection records each candidate pair it has judged (with or without a
    # verdict) in the transaction that stores the verdict, so a detection killed halfway
    # is resumed by the next one without judging those pairs again; the rows go when the
    # pending documents are settled. The lease names the process detecting, so a second
    # detection on the same store waits for it instead of repeating its work.
    """
    CREATE TABLE judged_pairs (
        a TEXT NOT NULL,
        b TEXT NOT NULL,
        PRIMARY KEY (a, b)
    ) WITHOUT ROWID;
    CREATE TABLE detect_lease (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        pid INTEGER NOT NULL,
        host TEXT NOT NULL,
        started_at TEXT NOT NULL
    );
    """,
    # 10: each pair's story-level similarity (wiretrace.semantic.story), computed by the
    # detection that stores the pair when the semantic layer runs. Pairs stored before
    # have none (NULL); the next detection with the semantic layer computes theirs.
    """
    ALTER TABLE pairs ADD COLUMN story_similarity REAL;
    """,
)

SCHEMA_VERSION = len(MIGRATIONS)
