-- 0010 (issue 15): the issuer keys and the service secrets are sealed (AES-256-GCM) under a
-- key-encryption key (KEK) that never enters the database: a 0600 file in the data folder or
-- the IKD_KEK variable (platform/key_encryption*.rs). The columns are renamed to say what they
-- now hold; rows written before this change are still plaintext until the first start after
-- it seals them in Rust (platform/secrets.rs, trust/issuer_keyring.rs), idempotently.
ALTER TABLE service_secrets RENAME COLUMN secret_hex TO secret_sealed;
ALTER TABLE issuer_keys RENAME COLUMN private_key_pem TO private_key_sealed;

-- Which KEK this database is sealed under: one row, claimed by the first start. A replica or a
-- copy started with another key (or none) is refused before it seals anything, so two keys
-- never share one database, and a copy without its key says so instead of failing later.
CREATE TABLE key_encryption_claim (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    kek_id     TEXT   NOT NULL,              -- hex, SHA-256 of a label and the key, 8 bytes
    created_at BIGINT NOT NULL
);
