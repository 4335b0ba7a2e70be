#!/bin/sh
# Runs once, when the postgres container first initialises its data directory (docker-entrypoint-initdb.d): the
# hub's owner role, which owns the database and runs migrations, and its app role, which the hub nodes log in as
# (docs/operator-guide.md, "Database roles"). Passwords come from the environment (.env), never from this file.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres <<'SQL'
\getenv owner_password HUB_DB_OWNER_PASSWORD
\getenv app_password HUB_DB_APP_PASSWORD
CREATE ROLE hub_owner LOGIN PASSWORD :'owner_password';
CREATE ROLE hub_app LOGIN PASSWORD :'app_password';
ALTER DATABASE identityhub OWNER TO hub_owner;
SQL
