-- The event index: how many events of each type and schema version, and where every stream
-- stands. Built from every event of the log.
CREATE TABLE event_type (
    type           TEXT    NOT NULL,
    schema         INTEGER NOT NULL,
    events         INTEGER NOT NULL,
    first_sequence INTEGER NOT NULL,
    last_sequence  INTEGER NOT NULL,
    PRIMARY KEY (type, schema)
) WITHOUT ROWID;

CREATE TABLE stream (
    stream         TEXT    NOT NULL PRIMARY KEY,
    version        INTEGER NOT NULL,
    first_sequence INTEGER NOT NULL,
    last_sequence  INTEGER NOT NULL,
    last_type      TEXT    NOT NULL,
    last_ts        INTEGER NOT NULL
) WITHOUT ROWID;
