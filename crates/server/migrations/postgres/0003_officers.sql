-- 0003: officers of Dukcapil (petugas), created with `ikd officer add`.
-- Each works in a region: a province ("32"), regency ("32.76") or district ("32.76.01") code.
-- Passwords are stored only as Argon2id PHC strings.
CREATE TABLE officers (
    id            BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username      TEXT    NOT NULL UNIQUE,
    full_name     TEXT    NOT NULL,
    role          TEXT    NOT NULL CHECK (role IN ('officer', 'supervisor', 'admin')),
    region_code   TEXT    NOT NULL,
    password_hash TEXT    NOT NULL,
    created_at    BIGINT  NOT NULL,          -- unix seconds
    disabled_at   BIGINT                     -- set when the account is switched off
);
