from django.db import migrations

# The one way to delete audit rows: old ones only, by a function that runs with its owner's (the
# schema owner's) privileges, so that the runtime role, which may not DELETE from an audit table,
# can run the retention job without the owner's password. It refuses a cutoff less than a year ago,
# whoever calls it; the runtime role may call it (kirklees.dbroles grants RUNTIME_FUNCTIONS), nobody
# else (PUBLIC's EXECUTE is revoked).
#
# The audit tables are found by their pgh_db_user column (kirklees.audit.models.AuditEvent), so
# an audit table added later is covered without changing this.
FUNCTION = r"""
CREATE OR REPLACE FUNCTION audit_rows_delete_before(cutoff timestamptz) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
    audit_table regclass;
    deleted bigint;
    total bigint := 0;
    previous text := current_setting('pgtrigger.ignore', true);
    append_only text;
BEGIN
    IF cutoff IS NULL OR cutoff > now() - interval '365 days' THEN
        RAISE EXCEPTION 'Audit rows are kept for at least 365 days: % is too recent', cutoff;
    END IF;
    SELECT string_agg(t.tgname, ',') INTO append_only
      FROM pg_trigger t
     WHERE t.tgname LIKE 'pgtrigger\_%append\_only\_%'
       AND (t.tgrelid = 'audit_readrecord'::regclass
            OR t.tgrelid IN (SELECT a.attrelid FROM pg_attribute a
                              WHERE a.attname = 'pgh_db_user' AND NOT a.attisdropped));
    PERFORM set_config('pgtrigger.ignore', '{' || coalesce(append_only, '') || '}', true);
    FOR audit_table IN
        SELECT c.oid::regclass FROM pg_class c
          JOIN pg_namespace n ON n.oid = c.relnamespace
          JOIN pg_attribute a ON a.attrelid = c.oid
         WHERE n.nspname = current_schema() AND c.relkind = 'r'
           AND a.attname = 'pgh_db_user' AND NOT a.attisdropped
         ORDER BY 1
    LOOP
        EXECUTE format('DELETE FROM %s WHERE pgh_created_at < $1', audit_table) USING cutoff;
        GET DIAGNOSTICS deleted = ROW_COUNT;
        total := total + deleted;
    END LOOP;
    DELETE FROM audit_readrecord WHERE "at" < cutoff;
    GET DIAGNOSTICS deleted = ROW_COUNT;
    PERFORM set_config('pgtrigger.ignore', coalesce(previous, ''), true);
    RETURN total + deleted;
END
$$;
REVOKE ALL ON FUNCTION audit_rows_delete_before(timestamptz) FROM PUBLIC;
"""


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL(FUNCTION, "DROP FUNCTION audit_rows_delete_before(timestamptz);"),
    ]
