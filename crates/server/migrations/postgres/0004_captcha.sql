-- 0004: secrets the service generates for itself, and used captcha challenges.
-- Replicas share the database, so they share these: a captcha issued by one replica is
-- accepted by another, and accepted once only.
CREATE TABLE service_secrets (
    name       TEXT   PRIMARY KEY,           -- e.g. 'captcha-hmac'
    secret_hex TEXT   NOT NULL,              -- random bytes, hex
    created_at BIGINT NOT NULL
);

-- A solved captcha is remembered until it expires, so the same solution cannot be replayed.
CREATE TABLE captcha_uses (
    signature  TEXT   PRIMARY KEY,           -- the challenge's HMAC signature (hex)
    expires_at BIGINT NOT NULL               -- unix seconds; rows past this may be deleted
);
