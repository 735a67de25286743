-- Audit entries may be removed only by the retention purge. The purge marks
-- its own transaction (encv.audit_purge = 'on'); any other DELETE is
-- refused, as every UPDATE already is (0001).
CREATE FUNCTION audit_entries_no_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF coalesce(current_setting('encv.audit_purge', true), '') <> 'on' THEN
        RAISE EXCEPTION 'audit_entries is append-only';
    END IF;
    RETURN OLD;
END;
$$;
CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries
    FOR EACH ROW EXECUTE FUNCTION audit_entries_no_delete();
