using Microsoft.EntityFrameworkCore;

namespace IdentityHub.Data.Roles;

/// <summary>
/// The application role's privileges, granted by the owner after every migration: USAGE on the hub's schemas (never
/// CREATE); SELECT, INSERT, UPDATE and DELETE on its tables (never TRUNCATE, REFERENCES or TRIGGER); USAGE and SELECT on
/// its sequences; only SELECT and INSERT in the audit schema, so an UPDATE, DELETE or TRUNCATE of audit.events is refused
/// for lack of privilege before the append-only trigger is even reached; only SELECT on EF's migration history.
/// Each object's grants are revoked and granted again in one transaction, so a second run changes nothing and a
/// privilege granted by hand is taken back. Default privileges cover tables the owner makes outside a migration run.
/// </summary>
internal static class AppRoleGrants
{
    /// <summary>Arbitrary constant naming the advisory lock that keeps two migrators from granting at once.</summary>
    private const long GrantLock = 0x0A_0D_17_C5;

    // The role name travels as a parameter (set_config), never spliced into SQL; format('%I') quotes every identifier.
    private const string Grants = """
        DO $grants$
        DECLARE
            app name := current_setting('identityhub.app_role');
            owner oid := (SELECT oid FROM pg_roles WHERE rolname = current_user);
            item record;
        BEGIN
            IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = app) THEN
                RAISE EXCEPTION 'the application role "%" does not exist: create it (LOGIN, no other attribute) before migrating', app
                    USING ERRCODE = 'undefined_object';
            END IF;
            IF (SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = app) OR pg_has_role(app, owner, 'MEMBER') THEN
                RAISE EXCEPTION 'the application role "%" is a superuser or a member of the owner role "%": it must hold only what it is granted', app, current_user
                    USING ERRCODE = 'invalid_grant_operation';
            END IF;
            IF EXISTS (SELECT FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                       WHERE c.relowner = (SELECT oid FROM pg_roles WHERE rolname = app) AND n.nspname !~ '^(pg_|information_schema$)') THEN
                RAISE EXCEPTION 'the application role "%" owns objects in this database: REASSIGN OWNED BY % TO % first', app, quote_ident(app), quote_ident(current_user)
                    USING ERRCODE = 'invalid_grant_operation';
            END IF;

            EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), app);

            FOR item IN
                SELECT n.nspname FROM pg_namespace n
                WHERE n.nspname !~ '^(pg_|information_schema$)'
                  AND (n.nspowner = owner OR EXISTS (SELECT FROM pg_class c WHERE c.relnamespace = n.oid AND c.relowner = owner))
            LOOP
                EXECUTE format('REVOKE ALL ON SCHEMA %I FROM %I', item.nspname, app);
                EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', item.nspname, app);
                EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I REVOKE ALL ON TABLES FROM %I', item.nspname, app);
                EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT %s ON TABLES TO %I', item.nspname,
                    CASE WHEN item.nspname = 'audit' THEN 'SELECT, INSERT' ELSE 'SELECT, INSERT, UPDATE, DELETE' END, app);
                EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I REVOKE ALL ON SEQUENCES FROM %I', item.nspname, app);
                EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT USAGE, SELECT ON SEQUENCES TO %I', item.nspname, app);
            END LOOP;

            FOR item IN
                SELECT c.oid::regclass AS rel, c.relkind, c.relname, n.nspname
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE c.relowner = owner AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S') AND n.nspname !~ '^(pg_|information_schema$)'
            LOOP
                IF item.relkind = 'S' THEN
                    EXECUTE format('REVOKE ALL ON SEQUENCE %s FROM %I', item.rel, app);
                    EXECUTE format('GRANT USAGE, SELECT ON SEQUENCE %s TO %I', item.rel, app);
                ELSE
                    EXECUTE format('REVOKE ALL ON TABLE %s FROM %I', item.rel, app);
                    EXECUTE format('GRANT %s ON TABLE %s TO %I',
                        CASE WHEN item.nspname = 'audit' THEN 'SELECT, INSERT'
                             WHEN item.relname = '__EFMigrationsHistory' THEN 'SELECT'
                             ELSE 'SELECT, INSERT, UPDATE, DELETE' END,
                        item.rel, app);
                END IF;
            END LOOP;
        END
        $grants$;
        """;

    public static async Task ApplyAsync(HubDbContext db, string appRole, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({GrantLock}), set_config('identityhub.app_role', {appRole}, true)", cancellationToken);
        await db.Database.ExecuteSqlRawAsync(Grants, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}
