-- 0005: everything between a citizen scanning a desk QR and carrying a signed KTP offline.
-- Secrets never stored in the clear: activation codes, session and reset tokens and
-- institution keys are kept as keyed or plain SHA-256 hashes; passwords as Argon2id.
-- Times are unix seconds.

-- Issuer signing keys, in the database so every replica signs with the same one and keys
-- can rotate: the newest unretired key signs; retired keys stay in the trust list until
-- not_after so credentials they signed still verify.
CREATE TABLE issuer_keys (
    kid             TEXT   PRIMARY KEY,      -- hex, first 8 bytes of SHA-256 of the public key
    private_key_pem TEXT   NOT NULL,         -- PKCS#8
    public_key_hex  TEXT   NOT NULL,         -- 65-byte uncompressed P-256 point
    created_at      BIGINT NOT NULL,
    not_before      BIGINT NOT NULL,
    retired_at      BIGINT,                  -- stops signing from here
    not_after       BIGINT                   -- verifiers stop accepting from here
);

-- A desk session (a counter) or a drive session (a projector at an office, school, campus).
-- Its QR token is not stored: it is an HMAC of (desk, 30-second window), checked statelessly.
CREATE TABLE desks (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    officer_id  BIGINT  NOT NULL REFERENCES officers (id),
    kind        TEXT    NOT NULL CHECK (kind IN ('desk', 'drive')),
    label       TEXT    NOT NULL,
    region_code TEXT    NOT NULL,            -- the officer's region when it was opened
    opened_at   BIGINT  NOT NULL,
    closed_at   BIGINT
);

-- A registration as sent from the citizen's phone, waiting for the officer's face check.
CREATE TABLE registrations (
    id          TEXT    PRIMARY KEY,         -- random 128-bit hex; the phone keeps it
    nik         TEXT    NOT NULL,
    email       TEXT    NOT NULL,            -- normalised
    phone       TEXT    NOT NULL,            -- national form 08…
    selfie      BLOB    NOT NULL,            -- JPEG
    desk_id     BIGINT  NOT NULL REFERENCES desks (id),
    status      TEXT    NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'activated', 'superseded')),
    reason      TEXT,                        -- why it was rejected
    decided_by  BIGINT  REFERENCES officers (id),
    decided_at  BIGINT,
    created_at  BIGINT  NOT NULL
);
CREATE INDEX registrations_queue ON registrations (desk_id, status, created_at);
CREATE INDEX registrations_by_nik ON registrations (nik, created_at);

-- The citizen's account. Created when an officer approves a registration; usable once the
-- activation code has been entered and a password set.
CREATE TABLE accounts (
    nik                  TEXT    PRIMARY KEY,
    email                TEXT    NOT NULL,
    phone                TEXT    NOT NULL,
    password_hash        TEXT,               -- Argon2id PHC; NULL until activation
    active_device_id     TEXT,               -- one device per account, as in the official app
    failed_code_attempts BIGINT  NOT NULL DEFAULT 0,  -- lifetime wrong activation codes (cap 100)
    created_at           BIGINT  NOT NULL,
    activated_at         BIGINT,
    password_changed_at  BIGINT
);
CREATE INDEX accounts_by_email ON accounts (email);

-- The emailed activation code: 8 Crockford characters, single use, 10 minutes, 5 tries.
CREATE TABLE activation_codes (
    registration_id TEXT    PRIMARY KEY REFERENCES registrations (id),
    nik             TEXT    NOT NULL,
    code_hash       TEXT    NOT NULL,        -- HMAC-SHA-256 under a service secret
    created_at      BIGINT  NOT NULL,
    expires_at      BIGINT  NOT NULL,
    attempts        BIGINT  NOT NULL DEFAULT 0,
    used_at         BIGINT
);
CREATE INDEX activation_codes_by_nik ON activation_codes (nik, created_at);

-- A batch of credentials (one offline bundle and its QRs), so it can be revoked as a whole.
CREATE TABLE credentials (
    id                TEXT   PRIMARY KEY,    -- hex of the 16-byte batch id (the QRs' cti prefix)
    nik               TEXT   NOT NULL,
    device_id         TEXT   NOT NULL,
    issued_at         BIGINT NOT NULL,
    valid_until       BIGINT NOT NULL,       -- end of the last QR window
    revoked_at        BIGINT,
    revocation_reason TEXT
);
CREATE INDEX credentials_by_device ON credentials (nik, device_id);
CREATE INDEX credentials_revoked ON credentials (revoked_at, valid_until);

-- Login sessions of citizens and officers. The cookie holds a 256-bit random token; only
-- its SHA-256 is stored, so a database leak does not hand out sessions.
CREATE TABLE sessions (
    token_hash   TEXT   PRIMARY KEY,
    subject_kind TEXT   NOT NULL CHECK (subject_kind IN ('citizen', 'officer')),
    subject      TEXT   NOT NULL,            -- NIK, or the officer's id
    device_id    TEXT,
    created_at   BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,            -- for the idle timeout
    expires_at   BIGINT NOT NULL,            -- absolute timeout
    revoked_at   BIGINT
);
CREATE INDEX sessions_by_subject ON sessions (subject_kind, subject);

-- "Lupa kata sandi": emailed single-use links.
CREATE TABLE password_resets (
    token_hash TEXT   PRIMARY KEY,
    nik        TEXT   NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT
);

-- Riwayat aktivitas: what happened to each citizen's identity, and who did it.
CREATE TABLE activity_log (
    id     INTEGER PRIMARY KEY AUTOINCREMENT,
    nik    TEXT    NOT NULL,
    at     BIGINT  NOT NULL,
    kind   TEXT    NOT NULL,                 -- ikd_core::activity::ActivityKind
    actor  TEXT    NOT NULL,                 -- 'warga', 'petugas:<id>', an institution
    detail TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX activity_log_by_nik ON activity_log (nik, id);

-- Fixed-window request counters per (what, who), shared by replicas.
CREATE TABLE rate_limits (
    bucket       TEXT   NOT NULL,            -- 'login:ip:1.2.3.4', 'login:acct:<nik>', …
    window_start BIGINT NOT NULL,
    hits         BIGINT NOT NULL,
    PRIMARY KEY (bucket, window_start)
);

-- Institutions (banks, hospitals, …) allowed to verify online and to read encrypted QRs.
CREATE TABLE institutions (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    name         TEXT    NOT NULL UNIQUE,
    api_key_hash TEXT    NOT NULL UNIQUE,    -- SHA-256 hex of the bearer key
    created_at   BIGINT  NOT NULL,
    disabled_at  BIGINT
);
