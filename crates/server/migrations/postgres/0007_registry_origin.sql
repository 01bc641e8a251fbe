-- Where the registry came from, recorded with each load instead of assumed: a synthetic seed
-- is demo data that every screen labels; an imported extract is not. The service reads the
-- newest run's origin (ikd_core::registry_origin::RegistryOrigin).
ALTER TABLE registry_seed_runs ADD COLUMN origin TEXT NOT NULL DEFAULT 'synthetic'
    CHECK (origin IN ('synthetic', 'extract'));

-- Runs recorded before this column named their CSV file as "csv FILE".
UPDATE registry_seed_runs SET origin = 'extract' WHERE substr(source, 1, 4) = 'csv ';
