-- 0006: the officer console: registration drives with rosters, adoption figures, targets.
-- Registration drives (jemput bola) for civil servants (ASN): an agency's roster is imported,
-- one QR on a projector registers many people, officers face-check and decide in batches.
-- Each drive owns a desk of kind 'drive': its token is the projector QR, its queue the drive's.
CREATE TABLE drives (
    id          BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        TEXT    NOT NULL,
    agency      TEXT    NOT NULL,            -- instansi
    place       TEXT    NOT NULL,
    starts_on   TEXT    NOT NULL,            -- YYYY-MM-DD
    ends_on     TEXT    NOT NULL,
    region_code TEXT    NOT NULL,            -- the creating officer's region
    desk_id     BIGINT  NOT NULL UNIQUE REFERENCES desks (id),
    created_by  BIGINT  NOT NULL REFERENCES officers (id),
    created_at  BIGINT  NOT NULL
);

-- Unit kerja of a drive. When a drive lists none, roster rows may name any unit.
CREATE TABLE drive_units (
    drive_id BIGINT NOT NULL REFERENCES drives (id),
    unit     TEXT   NOT NULL,
    PRIMARY KEY (drive_id, unit)
);

-- Officers who work a drive (they see its queue and may decide).
CREATE TABLE drive_officers (
    drive_id   BIGINT NOT NULL REFERENCES drives (id),
    officer_id BIGINT NOT NULL REFERENCES officers (id),
    PRIMARY KEY (drive_id, officer_id)
);

-- The imported roster: only rows that passed every check (bad rows are reported, not kept).
CREATE TABLE drive_roster (
    drive_id    BIGINT NOT NULL REFERENCES drives (id),
    nik         TEXT   NOT NULL,
    nip         TEXT   NOT NULL,
    full_name   TEXT   NOT NULL,             -- as written in the roster
    unit        TEXT   NOT NULL,
    line        BIGINT NOT NULL,             -- line in the imported file
    imported_at BIGINT NOT NULL,
    PRIMARY KEY (drive_id, nik)
);
CREATE UNIQUE INDEX drive_roster_by_nip ON drive_roster (drive_id, nip);
CREATE INDEX drive_roster_by_nik ON drive_roster (nik);
CREATE INDEX drive_roster_by_unit ON drive_roster (drive_id, unit, nik);

-- Progress of each drive by unit, kept up to date by the import (recounted) and by each
-- registration, approval and activation of someone on the roster (counted up), so progress
-- and the drives dashboard read a few rows however long the rosters are.
CREATE TABLE drive_unit_progress (
    drive_id   BIGINT NOT NULL REFERENCES drives (id),
    unit       TEXT   NOT NULL,
    on_roster  BIGINT NOT NULL,
    registered BIGINT NOT NULL,
    approved   BIGINT NOT NULL,
    activated  BIGINT NOT NULL,
    PRIMARY KEY (drive_id, unit)
);

-- One row per person who ever registered, with the dates they reached each step. The
-- dashboard and drive progress count these rows, so they never scan registrations (which
-- hold selfies). Region codes are the registry's, copied at registration.
CREATE TABLE adoption (
    nik           TEXT   PRIMARY KEY,
    regency_code  TEXT   NOT NULL,
    district_code TEXT   NOT NULL,
    registered_at BIGINT NOT NULL,           -- first registration
    approved_at   BIGINT,                    -- first approval
    activated_at  BIGINT                     -- account activated
);
CREATE INDEX adoption_by_region ON adoption (regency_code, district_code, activated_at);

INSERT INTO adoption (nik, regency_code, district_code, registered_at, approved_at, activated_at)
SELECT r.nik, p.regency_code, p.district_code, MIN(r.created_at),
       MIN(CASE WHEN r.status IN ('approved', 'activated') THEN r.decided_at END),
       (SELECT a.activated_at FROM accounts a WHERE a.nik = r.nik)
FROM registrations r JOIN registry_persons p ON p.nik = r.nik
GROUP BY r.nik, p.regency_code, p.district_code;

-- The same steps counted per regency and day (UTC): the national and provincial views and
-- every trend sum these rows (regencies × days), never the per-person rows above.
CREATE TABLE adoption_daily (
    regency_code TEXT   NOT NULL,
    day          BIGINT NOT NULL,            -- unix day: seconds / 86400
    registered   BIGINT NOT NULL,
    approved     BIGINT NOT NULL,
    activated    BIGINT NOT NULL,
    PRIMARY KEY (regency_code, day)
);

INSERT INTO adoption_daily (regency_code, day, registered, approved, activated)
SELECT regency_code, day, SUM(registered), SUM(approved), SUM(activated) FROM (
    SELECT regency_code, registered_at / 86400 AS day, 1 AS registered, 0 AS approved, 0 AS activated
    FROM adoption
    UNION ALL
    SELECT regency_code, approved_at / 86400, 0, 1, 0 FROM adoption WHERE approved_at IS NOT NULL
    UNION ALL
    SELECT regency_code, activated_at / 86400, 0, 0, 1 FROM adoption WHERE activated_at IS NOT NULL
) steps
GROUP BY regency_code, day;

-- People with a recorded e-KTP by region and birth year, rebuilt after every seed or import.
-- Level 1 rows are regencies ("32.76"), level 2 districts ("32.76.01"). Who is 17 or older
-- today is then the sum over earlier birth years plus one small indexed count of the
-- boundary year, instead of a scan of the whole registry.
CREATE TABLE registry_population (
    level       INTEGER NOT NULL CHECK (level IN (1, 2)),
    region_code TEXT    NOT NULL,
    birth_year  INTEGER NOT NULL,
    recorded    BIGINT  NOT NULL,
    PRIMARY KEY (level, region_code, birth_year)
);
CREATE INDEX registry_persons_by_birth ON registry_persons (birth_date, ektp_recorded, district_code);

INSERT INTO registry_population (level, region_code, birth_year, recorded)
SELECT 1, regency_code, CAST(substr(birth_date, 1, 4) AS INTEGER), COUNT(*)
FROM registry_persons WHERE ektp_recorded = 1
GROUP BY regency_code, CAST(substr(birth_date, 1, 4) AS INTEGER);
INSERT INTO registry_population (level, region_code, birth_year, recorded)
SELECT 2, district_code, CAST(substr(birth_date, 1, 4) AS INTEGER), COUNT(*)
FROM registry_persons WHERE ektp_recorded = 1
GROUP BY district_code, CAST(substr(birth_date, 1, 4) AS INTEGER);

-- Adoption targets: the share of the population that must hold a KTP which should hold an
-- activated IKD. '' is Indonesia; a region without its own target inherits the nearest one
-- above it. Set by admins.
CREATE TABLE region_targets (
    region_code  TEXT   PRIMARY KEY,
    basis_points BIGINT NOT NULL CHECK (basis_points BETWEEN 0 AND 10000), -- 2500 = 25 %
    set_by       BIGINT REFERENCES officers (id),
    set_at       BIGINT NOT NULL
);
-- The national target of the IKD programme: 70 %.
INSERT INTO region_targets (region_code, basis_points, set_by, set_at) VALUES ('', 7000, NULL, 0);
