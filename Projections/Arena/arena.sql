-- The arena (arena.sqlite): auditions, slots and the queue, races with their racers, tickets and
-- payout lines, and every clone's career (the Hall of Fame). Amounts in wei are decimal strings.
CREATE TABLE audition (
    clone_id            TEXT    NOT NULL PRIMARY KEY,
    audition_id         TEXT    NOT NULL,
    from_ms             INTEGER NOT NULL,
    to_ms               INTEGER NOT NULL,
    policy              INTEGER NOT NULL,
    passed              INTEGER,            -- NULL while it runs
    decisions           INTEGER,
    failed_decisions    INTEGER,
    min_decisions_per_asset_hour INTEGER,
    max_drawdown_bp     INTEGER,
    return_bp           INTEGER,
    failures            TEXT                -- comma separated codes
) WITHOUT ROWID;

CREATE TABLE arena_slot (
    slot      INTEGER NOT NULL PRIMARY KEY,
    clone_id  TEXT    NOT NULL,
    since_ms  INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE arena_queue (
    clone_id  TEXT    NOT NULL PRIMARY KEY,
    passed_ms INTEGER NOT NULL,
    queued_ms INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE race (
    race_id            TEXT    NOT NULL PRIMARY KEY,
    number             INTEGER NOT NULL,   -- order opened
    phase              TEXT    NOT NULL,   -- accumulating, running, ended, settled, cancelled
    opened_ms          INTEGER NOT NULL,
    started_ms         INTEGER,
    ended_ms           INTEGER,
    settled_ms         INTEGER,
    cancelled_reason   TEXT,
    duration_ms        INTEGER NOT NULL,
    ticket_price_wei   TEXT    NOT NULL,
    starting_equity_e6 INTEGER NOT NULL,
    settlement_policy  INTEGER NOT NULL,
    tickets            INTEGER NOT NULL,   -- standing (not refunded)
    pool_wei           TEXT    NOT NULL,
    rake_wei           TEXT,
    creator_pool_wei   TEXT,
    holder_pool_wei    TEXT,
    breakage_wei       TEXT,
    winner             TEXT,               -- the first ranked (dead heats: the first of them)
    depends_on_sequence INTEGER,
    settled_sequence   INTEGER
) WITHOUT ROWID;

CREATE TABLE racer (
    race_id          TEXT    NOT NULL,
    clone_id         TEXT    NOT NULL,
    lane             INTEGER NOT NULL,     -- position in the line-up
    withdrawn        INTEGER NOT NULL,
    tickets          INTEGER NOT NULL,
    rank             INTEGER,
    final_equity_e6  INTEGER,
    gain_e6          INTEGER,              -- final equity less the starting equity, exactly
    return_bp        INTEGER,              -- for display: the gain in basis points, rounded toward -inf
    max_drawdown_bp  INTEGER,              -- for display
    max_drawdown_e6  INTEGER,              -- exactly (NULL for races ranked under ranking policy v1)
    PRIMARY KEY (race_id, clone_id)
) WITHOUT ROWID;

CREATE TABLE ticket (
    ticket_id   TEXT    NOT NULL PRIMARY KEY,
    race_id     TEXT    NOT NULL,
    clone_id    TEXT    NOT NULL,
    holder      TEXT    NOT NULL,
    price_wei   TEXT    NOT NULL,
    bought_ms   INTEGER NOT NULL,
    sequence    INTEGER NOT NULL,
    status      TEXT    NOT NULL,          -- open, won, lost, refunded
    refunded_ms INTEGER
) WITHOUT ROWID;

CREATE INDEX ticket_by_holder ON ticket (holder, race_id, ticket_id);

CREATE TABLE payout (
    race_id    TEXT    NOT NULL,
    line       INTEGER NOT NULL,
    kind       TEXT    NOT NULL,           -- rake, creator, holder, breakage
    recipient  TEXT    NOT NULL,
    clone_id   TEXT,
    tickets    INTEGER,
    amount_wei TEXT    NOT NULL,
    PRIMARY KEY (race_id, line)
) WITHOUT ROWID;

CREATE INDEX payout_by_recipient ON payout (recipient, race_id);

-- Every clone's career, retired ones included: the Hall of Fame.
CREATE TABLE career (
    clone_id              TEXT    NOT NULL PRIMARY KEY,
    creator               TEXT    NOT NULL,
    name                  TEXT    NOT NULL,
    status                TEXT    NOT NULL,  -- created, auditioning, failed, queued, racing, retired (CloneStatus)
    created_ms            INTEGER NOT NULL,
    races                 INTEGER NOT NULL,
    wins                  INTEGER NOT NULL,  -- rank 1 (dead heats included)
    podiums               INTEGER NOT NULL,  -- rank 1 to 3
    last_places           INTEGER NOT NULL,
    best_gain_e6          INTEGER,           -- its best race's gain, exactly (USD x 10^6)
    cumulative_gain_e6    INTEGER NOT NULL,  -- the sum of its races' gains, exactly: what leaderboards order by
    best_return_bp        INTEGER,           -- for display: the best race's return, rounded toward -inf
    cumulative_return_bp  INTEGER NOT NULL,  -- for display: the sum of its races' returns (every arena race starts
                                             -- with the same equity), from the exact gains, rounded toward -inf
    tickets_backed        INTEGER NOT NULL,  -- tickets bought on it, refunds excluded
    holder_earnings_wei   TEXT    NOT NULL,  -- paid to the holders of tickets on it
    creator_earnings_wei  TEXT    NOT NULL,  -- paid to its creator
    retired_ms            INTEGER,
    retired_reason        TEXT
) WITHOUT ROWID;
