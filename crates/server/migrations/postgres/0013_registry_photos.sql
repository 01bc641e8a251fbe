-- 0013, issue 13 items 13 and 18.
--
-- Real registry photos for an imported extract (`ikd seed --csv FILE` with a photo column or
-- --photos DIR of NIK.jpg). A synthetic registry keeps its generated portraits and has no rows
-- here; an extract person without a row has no registry photo, and the officer is told so,
-- never shown a drawing.
CREATE TABLE registry_photos (
    nik   TEXT  PRIMARY KEY REFERENCES registry_persons (nik),
    jpeg  BYTEA NOT NULL                 -- JPEG, at most registry::photos::MAX_PHOTO_BYTES
);

-- What the citizen's phone found in the selfie (ikd_core::selfie_quality::SelfieFinding words,
-- comma-separated; '' for none or an older app). A hint shown to the officer, never trusted
-- for more.
ALTER TABLE registrations ADD COLUMN selfie_findings TEXT NOT NULL DEFAULT '';
