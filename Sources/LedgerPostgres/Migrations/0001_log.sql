-- The log on PostgreSQL, version 1. Shipped migrations are never edited: a change is a new file.
--
-- One head row holds the last sequence and chain value. Every append locks it (SELECT … FOR
-- UPDATE) inside its transaction, takes the sequences after it, computes the chain from it and
-- moves it: sequences come from the committed head, in commit order, never from a SEQUENCE, so a
-- rolled-back append leaves no gap and a leaf index is never skipped or filled late.
CREATE TABLE log_head (
    id smallint PRIMARY KEY CHECK (id = 1),
    seq bigint NOT NULL CHECK (seq >= 0),
    chain bytea NOT NULL CHECK (length(chain) = 32)
);
INSERT INTO log_head (id, seq, chain) VALUES (1, 0, decode(repeat('00', 32), 'hex'));

-- Each record as the file log stores it: its canonical JSON line without the newline, with the
-- envelope fields the reads and the constraints need beside it.
CREATE TABLE log_events (
    seq bigint PRIMARY KEY CHECK (seq > 0),
    id text NOT NULL,
    stream text NOT NULL,
    stream_version bigint NOT NULL CHECK (stream_version > 0),
    type text NOT NULL,
    record bytea NOT NULL,
    -- Idempotency: an event id is written once.
    CONSTRAINT log_events_id_unique UNIQUE (id),
    -- Expected stream versions: two events never share a stream version.
    CONSTRAINT log_events_stream_version_unique UNIQUE (stream, stream_version)
);
CREATE INDEX log_events_type_seq ON log_events (type, seq);

-- The chain value after each append (a batch), by its last sequence.
CREATE TABLE log_batches (
    last_seq bigint PRIMARY KEY,
    first_seq bigint NOT NULL,
    chain bytea NOT NULL CHECK (length(chain) = 32)
);
