-- 0017, issue 17: each institution's own key for the encrypted QR, instead of one AES key
-- shared by all. A P-256 key-agreement key per institution: the public half is handed to
-- phones in the signed bundle, the private half is given to the institution once and kept
-- here only sealed under the key-encryption key (associated data
-- `institutions/<id>/qr-key/<kid>`). `rotate-key` moves the current key to `previous`, which
-- still opens QRs made with it until the next rotation (phones pick up the new key at their
-- next refresh). Institutions added before this have no key until their next rotate-key.
ALTER TABLE institutions ADD COLUMN qr_kid TEXT;                 -- hex, claim169::institution_kid
ALTER TABLE institutions ADD COLUMN qr_public_key TEXT;          -- hex, SEC1 compressed
ALTER TABLE institutions ADD COLUMN qr_private_key_sealed TEXT;
ALTER TABLE institutions ADD COLUMN qr_previous_kid TEXT;
ALTER TABLE institutions ADD COLUMN qr_previous_private_key_sealed TEXT;

-- The AES key every institution shared is gone: nothing is encrypted under it any more.
DELETE FROM service_secrets WHERE name = 'institution-qr-key';
