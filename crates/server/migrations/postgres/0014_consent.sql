-- 0014, issue 17: consent (otorisasi). An institution asks for a scope of a citizen's data for
-- a purpose and a period; the row is the request and, once the citizen approves, the grant.
--
-- A request is stored for any well-formed NIK, with or without an account, so the answer and
-- the work behind it never tell an institution whether someone has activated IKD. Only the
-- citizen of that NIK, logged in, ever sees the row.
--
-- status is ikd_core::consent_api::ConsentStatus as stored: waiting, live, declined, revoked
-- (expired and lapsed follow from expires_at and answer_by). scope is ConsentScope.
CREATE TABLE consents (
    id              TEXT    PRIMARY KEY,     -- 128 random bits, hex: the request and grant id
    short_code      TEXT    NOT NULL,        -- 8 Crockford base32 characters for the counter
    institution_id  BIGINT  NOT NULL REFERENCES institutions (id),
    nik             TEXT    NOT NULL,
    scope           TEXT    NOT NULL CHECK (scope IN ('full', 'basic', 'age-17', 'kk')),
    purpose         TEXT    NOT NULL,
    period_days     BIGINT  NOT NULL,
    status          TEXT    NOT NULL CHECK (status IN ('waiting', 'live', 'declined', 'revoked')),
    requested_at    BIGINT  NOT NULL,        -- unix seconds
    answer_by       BIGINT  NOT NULL,        -- a waiting request lapses then
    answered_at     BIGINT,
    expires_at      BIGINT,                  -- a grant ends then
    revoked_at      BIGINT,
    reads           BIGINT  NOT NULL DEFAULT 0,
    last_read_at    BIGINT
);
CREATE INDEX consents_by_nik ON consents (nik, requested_at);
CREATE INDEX consents_by_institution_nik ON consents (institution_id, nik, status);

-- When an institution's bearer key was last replaced (`ikd institution rotate-key`).
ALTER TABLE institutions ADD COLUMN key_rotated_at BIGINT;
