-- 0018, issue 18: moving to a new phone. A login on a new browser while another device is
-- active mails a code to the account's email; only the code makes the new browser the active
-- device. The login step's token is stored as SHA-256 and the code as an HMAC under the
-- account-code secret, like the other account codes.

-- A login step waiting for its emailed code: one per account (a fresh login replaces it).
CREATE TABLE device_moves (
    token_hash TEXT   PRIMARY KEY,          -- SHA-256 of the step cookie's token
    nik        TEXT   NOT NULL,
    device_id  TEXT   NOT NULL,             -- the new browser
    code_hash  TEXT   NOT NULL,             -- HMAC-SHA-256 under a service secret
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    attempts   BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX device_moves_by_nik ON device_moves (nik);

-- A device another one replaced, and when: its next refresh is told `device-replaced` (the
-- device id is the browser's own random id; it names no person).
CREATE TABLE replaced_devices (
    device_id   TEXT   PRIMARY KEY,
    nik         TEXT   NOT NULL,
    replaced_at BIGINT NOT NULL
);
