-- 0008 (issue 14): what keeps a stranger who knows a NIK or a username from spoiling the
-- real person's access, and mail that no answer waits for.

-- Outgoing mail, written in the transaction that makes it necessary (an approval's code, a
-- reset link) and sent by a background worker with retries: no HTTP answer waits on SMTP,
-- and a crash after the commit still sends the mail. Subject and body hold codes and links,
-- so both are blanked once the mail is sent or given up.
CREATE TABLE mail_queue (
    id              TEXT   PRIMARY KEY,      -- random hex
    recipient       TEXT   NOT NULL,
    subject         TEXT   NOT NULL,
    body            TEXT   NOT NULL,
    created_at      BIGINT NOT NULL,
    attempts        BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,         -- unix seconds; the worker takes due rows
    claimed_until   BIGINT NOT NULL DEFAULT 0, -- a worker's lease, so replicas never send twice at once
    sent_at         BIGINT,
    failed_at       BIGINT,                  -- given up after the last retry
    last_error      TEXT
);
CREATE INDEX mail_queue_due ON mail_queue (next_attempt_at)
    WHERE sent_at IS NULL AND failed_at IS NULL;

-- "Lupa kata sandi" requests as typed, for any identifier: the answer does the same write
-- whether or not an account exists, and the worker turns a request for a real account into a
-- reset link (within the account's hourly allowance) and drops the rest.
CREATE TABLE password_reset_requests (
    id           TEXT   PRIMARY KEY,         -- random hex
    identifier   TEXT   NOT NULL,            -- NIK or email, trimmed and lower-cased
    requested_at BIGINT NOT NULL
);

-- Device cookies (OWASP "slow down online guessing"): a browser that logged in to an account
-- before presents its cookie and is counted apart from strangers, so their failures never
-- lock it out. One browser token may be trusted for several people (a family's phone).
CREATE TABLE trusted_devices (
    token_hash   TEXT   NOT NULL,            -- SHA-256 of the cookie's token
    subject_kind TEXT   NOT NULL CHECK (subject_kind IN ('citizen', 'officer')),
    subject      TEXT   NOT NULL,            -- NIK or officer id
    created_at   BIGINT NOT NULL,
    last_used_at BIGINT NOT NULL,
    PRIMARY KEY (token_hash, subject_kind, subject)
);
CREATE INDEX trusted_devices_subject ON trusted_devices (subject_kind, subject);
