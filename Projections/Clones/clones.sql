-- Clones: public identity, owner, status and the hash of the current private strategy (never
-- the graph or its prompt text, which stay in the artifact store). Built from clone.* events.
CREATE TABLE clone (
    clone_id          TEXT    NOT NULL PRIMARY KEY,
    owner             TEXT    NOT NULL,
    name              TEXT    NOT NULL,
    avatar_text       TEXT    NOT NULL,
    tagline           TEXT    NOT NULL,
    status            TEXT    NOT NULL,   -- created, auditioning, failed, queued, racing, retired (CloneStatus)
    strategy_hash     TEXT    NOT NULL,
    granularity       TEXT    NOT NULL,
    audition_fee_wei  TEXT    NOT NULL,   -- decimal string
    strategy_changes  INTEGER NOT NULL,
    created_ms        INTEGER NOT NULL,
    updated_ms        INTEGER NOT NULL,
    retired_ms        INTEGER,
    retired_reason    TEXT,
    created_sequence  INTEGER NOT NULL,
    last_sequence     INTEGER NOT NULL
) WITHOUT ROWID;

CREATE INDEX clone_by_owner ON clone (owner, clone_id);

-- Every strategy a clone has had, by hash, in order: what an owner or an auditor looks up.
CREATE TABLE clone_strategy (
    clone_id      TEXT    NOT NULL,
    since_ms      INTEGER NOT NULL,
    sequence      INTEGER NOT NULL,
    strategy_hash TEXT    NOT NULL,
    granularity   TEXT    NOT NULL,
    PRIMARY KEY (clone_id, sequence)
) WITHOUT ROWID;
