-- 0001: every start of `ikd serve` against this database, newest last.
-- Operators read it to see which versions have run on a database (and when), which matters
-- once several replicas share one PostgreSQL. It is also the first table the walking skeleton
-- needs to prove that migrations run on both back-ends.
CREATE TABLE service_starts (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    started_at  BIGINT  NOT NULL, -- unix seconds, UTC
    version     TEXT    NOT NULL, -- version of the ikd binary
    listen_addr TEXT    NOT NULL
);
