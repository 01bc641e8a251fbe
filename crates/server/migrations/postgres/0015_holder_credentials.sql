-- Issue 16: a refresh signs four holder-bound credentials (one per QR profile, each with its
-- own cti in `credentials`) instead of hundreds of QR windows; the phone makes the QR.

DROP TABLE credential_qr_windows;

-- An account's latest refresh, kept while it may be handed out again (FRESH_BATCH_EVERY_SECS)
-- to the same device keys: a newer refresh, a revocation or the hourly sweep deletes it, and
-- `nik` as the key makes "at most one stored refresh per account" hold whatever races.
CREATE TABLE holder_credential_batches (
    nik            TEXT   PRIMARY KEY,
    device_id      TEXT   NOT NULL,
    kid            TEXT   NOT NULL,      -- the issuer key that signed them
    device_keys    TEXT   NOT NULL,      -- the four public keys (hex, in profile order, joined by ',')
    issued_at      BIGINT NOT NULL,
    valid_until    BIGINT NOT NULL,      -- the earliest expiry of the four
    credentials    TEXT   NOT NULL       -- JSON of HolderCredentials
);
CREATE INDEX holder_credential_batches_by_age ON holder_credential_batches (issued_at);
