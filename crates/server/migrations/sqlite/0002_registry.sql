-- 0002: the population registry (SIAK). On this service it is SYNTHETIC DEMO DATA generated
-- by `ikd seed` (or imported from CSV for a pilot); every screen that shows it says so.
-- Dates are ISO text (YYYY-MM-DD); codes use the dotted idn-area-data form ("32.76.01").
-- Labels (religion, marital status, relationship, …) are stored exactly as the KTP/KK print them.
-- Document tables (small rows keyed by a text number) are WITHOUT ROWID: one B-tree per table
-- instead of a rowid tree plus a key index, which halves their writes in a bulk seed. Persons
-- and families keep rowids: their rows are large, and a clustered tree of large rows inserted
-- in random key order splits pages more than it saves (measured: slower).

-- Kartu Keluarga: one row per family card.
CREATE TABLE registry_families (
    kk_number     TEXT    PRIMARY KEY,      -- 16 digits: district + issue date + serial
    head_nik      TEXT    NOT NULL,
    street        TEXT    NOT NULL,         -- "JL. MAWAR NO. 12"
    rt            TEXT    NOT NULL,         -- "003"
    rw            TEXT    NOT NULL,         -- "011"
    village_code  TEXT    NOT NULL,         -- kelurahan/desa, "32.76.01.1001"
    district_code TEXT    NOT NULL,         -- kecamatan, "32.76.01"
    issued_on     TEXT    NOT NULL
);

-- One row per resident. The NIK encodes district, birth date and sex; the generator and the
-- CSV import both keep it consistent with the columns below.
CREATE TABLE registry_persons (
    nik            TEXT    PRIMARY KEY,
    kk_number      TEXT    NOT NULL REFERENCES registry_families (kk_number),
    full_name      TEXT    NOT NULL,
    sex            TEXT    NOT NULL CHECK (sex IN ('L', 'P')),
    place_of_birth TEXT    NOT NULL,
    birth_date     TEXT    NOT NULL,
    religion       TEXT    NOT NULL,
    marital_status TEXT    NOT NULL,
    occupation     TEXT    NOT NULL,
    education      TEXT    NOT NULL,
    blood_type     TEXT    NOT NULL,
    citizenship    TEXT    NOT NULL,
    relationship   TEXT    NOT NULL,         -- status hubungan dalam keluarga
    father_name    TEXT    NOT NULL,
    mother_name    TEXT    NOT NULL,
    ektp_recorded  INTEGER NOT NULL CHECK (ektp_recorded IN (0, 1)),         -- 1 when the e-KTP biometrics were recorded (perekaman)
    ektp_printed   INTEGER NOT NULL CHECK (ektp_printed IN (0, 1)),         -- 1 when a card was printed; recorded but not printed gets a Suket
    email          TEXT,                     -- contact on record; registration must match it
    phone          TEXT,
    photo_seed     BIGINT  NOT NULL,         -- the registry photo is rendered from this seed on demand
    province_code  TEXT    NOT NULL,         -- denormalised from the NIK for regional figures
    regency_code   TEXT    NOT NULL,
    district_code  TEXT    NOT NULL
);

-- A KK lists its members; regional figures group by regency and district.
CREATE INDEX registry_persons_by_kk ON registry_persons (kk_number);
CREATE INDEX registry_persons_by_region ON registry_persons (regency_code, district_code);

-- Linked documents shown under "Dokumen".
CREATE TABLE registry_npwp (
    nik           TEXT PRIMARY KEY REFERENCES registry_persons (nik),
    npwp_number   TEXT NOT NULL,             -- "12.345.678.9-012.000"
    registered_on TEXT NOT NULL,
    tax_office    TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE registry_vaccinations (
    nik      TEXT    NOT NULL REFERENCES registry_persons (nik),
    dose     INTEGER NOT NULL,               -- 1, 2, 3 = first booster
    vaccine  TEXT    NOT NULL,
    given_on TEXT    NOT NULL,
    facility TEXT    NOT NULL,
    PRIMARY KEY (nik, dose)
) WITHOUT ROWID;

CREATE TABLE registry_vehicles (
    plate      TEXT    PRIMARY KEY,          -- "B 1234 XYZ", prefix from the owner's region
    owner_nik  TEXT    NOT NULL REFERENCES registry_persons (nik),
    kind       TEXT    NOT NULL,             -- "SEPEDA MOTOR" | "MOBIL PENUMPANG"
    make_model TEXT    NOT NULL,
    year       INTEGER NOT NULL,
    colour     TEXT    NOT NULL
) WITHOUT ROWID;
CREATE INDEX registry_vehicles_by_owner ON registry_vehicles (owner_nik);

-- BKN data of civil servants (ASN): the rosters of bulk registration drives.
CREATE TABLE registry_civil_servants (
    nip          TEXT PRIMARY KEY,           -- 18 digits
    nik          TEXT NOT NULL UNIQUE REFERENCES registry_persons (nik),
    agency       TEXT NOT NULL,              -- instansi
    unit         TEXT NOT NULL,              -- unit kerja
    position     TEXT NOT NULL,              -- jabatan
    rank         TEXT NOT NULL,              -- golongan/ruang, "III/a"
    status       TEXT NOT NULL,              -- PNS | PPPK
    appointed_on TEXT NOT NULL               -- TMT
) WITHOUT ROWID;
CREATE INDEX registry_civil_servants_by_agency ON registry_civil_servants (agency, unit);

-- Suket: the certificate given to people recorded but with no printed card.
CREATE TABLE registry_sukets (
    nik          TEXT PRIMARY KEY REFERENCES registry_persons (nik),
    suket_number TEXT NOT NULL,
    issued_on    TEXT NOT NULL,
    reason       TEXT NOT NULL
) WITHOUT ROWID;

-- What a seed run produced, so the service can say which demo registry it holds.
CREATE TABLE registry_seed_runs (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    seeded_at   BIGINT  NOT NULL,
    source      TEXT    NOT NULL,            -- "synthetic seed=42" | "csv FILE"
    persons     BIGINT  NOT NULL,
    families    BIGINT  NOT NULL
);
