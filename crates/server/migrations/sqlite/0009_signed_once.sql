-- Issue 14, finding 6: a citizen's QR batch is signed at most once an hour and handed out
-- again meanwhile (journey/bundle.rs), and the public revocation list is signed once per
-- change and served from the database (trust/revocations.rs), not once per request.

-- The QR windows of an account's latest batch, kept only while the batch may be handed out
-- again (FRESH_BATCH_EVERY_SECS): a newer batch, a revocation or the hourly sweep deletes
-- them, and `nik UNIQUE` makes "at most one stored batch per account" hold whatever races.
CREATE TABLE credential_qr_windows (
    credential_id TEXT   PRIMARY KEY REFERENCES credentials (id),
    nik           TEXT   NOT NULL UNIQUE,
    kid           TEXT   NOT NULL,           -- the issuer key that signed these QRs
    issued_at     BIGINT NOT NULL,           -- as credentials.issued_at; for the sweep
    windows       TEXT   NOT NULL            -- JSON of Vec<QrWindow>
);
CREATE INDEX credential_qr_windows_by_age ON credential_qr_windows (issued_at);

-- Bumped by every transaction that revokes a credential batch; the signed list below is
-- served only while it was built at the current generation.
CREATE TABLE revocation_generation (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    generation BIGINT  NOT NULL
);
INSERT INTO revocation_generation (id, generation) VALUES (1, 0);

-- The signed revocation list as served (one row), with what it was built from: the
-- generation read before building, the key that signed it, and when it must be rebuilt
-- anyway (its first entry expires, or it is old enough to re-sign for a recent issuedAt).
CREATE TABLE signed_revocation_list (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    generation BIGINT  NOT NULL,
    kid        TEXT    NOT NULL,
    body       TEXT    NOT NULL,             -- the SignedJson, as JSON
    stale_at   BIGINT  NOT NULL
);
