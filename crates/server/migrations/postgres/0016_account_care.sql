-- 0016, issue 17: self-service account care. Codes mailed for a new email address and for a
-- lost phone are kept as HMACs under a service secret, like activation codes; a lost-phone
-- request is stored for the mail worker whatever its outcome, so the answer and its work
-- are the same for any NIK and password.

-- A closed account: its personal data is gone; only the last password's Argon2id hash is
-- kept, so that its owner (and only someone who knows that password) is told at login that
-- the account was closed. Registering anew clears both.
ALTER TABLE accounts ADD COLUMN closed_at BIGINT;
ALTER TABLE accounts ADD COLUMN closed_password_hash TEXT;

-- An email change waiting for the code sent to the new address: one per account.
CREATE TABLE email_changes (
    nik        TEXT   PRIMARY KEY,
    new_email  TEXT   NOT NULL,             -- normalised
    code_hash  TEXT   NOT NULL,             -- HMAC-SHA-256 under a service secret
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    attempts   BIGINT NOT NULL DEFAULT 0
);

-- "Ponsel hilang": the request as answered (verified = 1 when NIK and password were right),
-- turned into a code and a mail, or dropped, by the mail worker.
CREATE TABLE lost_phone_requests (
    id           TEXT   PRIMARY KEY,
    nik          TEXT   NOT NULL,
    verified     BIGINT NOT NULL,
    requested_at BIGINT NOT NULL
);

-- The code mailed for a lost phone: one per account.
CREATE TABLE lost_phone_codes (
    nik        TEXT   PRIMARY KEY,
    code_hash  TEXT   NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    attempts   BIGINT NOT NULL DEFAULT 0
);
