-- 0012 (issue 15): a second factor for every officer. A password alone opens only a login
-- step; the session comes after a passkey, a TOTP code or a recovery code.

-- A login whose password was right, waiting for the second factor. Its cookie's token is
-- kept as SHA-256; it lives ten minutes and a few wrong codes end it.
CREATE TABLE officer_login_steps (
    token_hash   TEXT   PRIMARY KEY,
    officer_id   BIGINT NOT NULL REFERENCES officers(id),
    created_at   BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL,
    failures     BIGINT NOT NULL DEFAULT 0,
    challenge    TEXT,                       -- the last WebAuthn challenge handed out, base64url
    pending_totp TEXT                        -- a TOTP secret being enrolled, sealed under the KEK
);

-- TOTP (RFC 6238): the secret sealed under the key-encryption key; the last time step that
-- was accepted, so a code is accepted once (ASVS 5.0 V6.5.1).
CREATE TABLE officer_totp (
    officer_id  BIGINT PRIMARY KEY REFERENCES officers(id),
    secret      TEXT   NOT NULL,
    last_step   BIGINT NOT NULL DEFAULT 0,
    enrolled_at BIGINT NOT NULL
);

-- Passkeys (WebAuthn, ES256): the credential id and its public key (SEC1, hex).
CREATE TABLE officer_passkeys (
    credential_id TEXT   PRIMARY KEY,         -- base64url
    officer_id    BIGINT NOT NULL REFERENCES officers(id),
    public_key    TEXT   NOT NULL,
    sign_count    BIGINT NOT NULL DEFAULT 0,
    created_at    BIGINT NOT NULL,
    last_used_at  BIGINT
);
CREATE INDEX officer_passkeys_officer ON officer_passkeys (officer_id);

-- Recovery codes, shown once at enrolment, kept as SHA-256, each good once.
CREATE TABLE officer_recovery_codes (
    code_hash  TEXT   PRIMARY KEY,
    officer_id BIGINT NOT NULL REFERENCES officers(id),
    created_at BIGINT NOT NULL,
    used_at    BIGINT
);
CREATE INDEX officer_recovery_codes_officer ON officer_recovery_codes (officer_id);
