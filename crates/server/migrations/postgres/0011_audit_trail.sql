-- 0011, issue 15: the audit trail (jejak audit). Every decision, lock lift, roster import,
-- drive creation, desk opening and closing, officer added or switched off, and issuer key
-- rotation appends one row: who (officer id and username, or "operator" for the `ikd`
-- command line), when, from which client address, what, and on what.
--
-- Append-only IN THE DATABASE: the triggers below refuse every UPDATE and DELETE (and, on
-- PostgreSQL, TRUNCATE), so no code path of the service can change or remove a row.
--
-- The subject of a lock lift is the NIK itself (there is no registration to name): an
-- inspector must be able to find who touched a person's record. Decisions name the
-- registration id, from which the NIK follows. Such a NIK can never be erased from here;
-- that is the price of a trail nobody can edit.
CREATE TABLE audit_trail (
    id          BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          BIGINT  NOT NULL,            -- unix seconds
    officer_id  BIGINT  REFERENCES officers (id),  -- NULL for the command line
    actor       TEXT    NOT NULL,            -- username, or 'operator'
    region_code TEXT    NOT NULL,            -- the acting officer's; '' for service-wide
    client_ip   TEXT    NOT NULL,
    action      TEXT    NOT NULL,            -- ikd_core::audit::AuditAction::as_str
    subject     TEXT    NOT NULL,
    detail      TEXT    NOT NULL
);
CREATE INDEX audit_trail_by_region ON audit_trail (region_code, at);
CREATE INDEX audit_trail_by_officer ON audit_trail (officer_id, at);

CREATE FUNCTION audit_trail_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_trail is append-only' USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER audit_trail_no_update_or_delete BEFORE UPDATE OR DELETE ON audit_trail
    FOR EACH ROW EXECUTE FUNCTION audit_trail_append_only();

CREATE TRIGGER audit_trail_no_truncate BEFORE TRUNCATE ON audit_trail
    FOR EACH STATEMENT EXECUTE FUNCTION audit_trail_append_only();
