#!/bin/sh
# Run by the postgres image on an empty data directory (docker-compose.yml mounts this folder at
# /docker-entrypoint-initdb.d), as POSTGRES_USER, a superuser: the two roles and the database. For
# a database made before the split, run it once by hand (README, "The database's two roles"):
#
#   docker compose exec db sh /docker-entrypoint-initdb.d/10-kirklees-roles.sh
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
    -v database="${KIRKLEES_DB:-kirklees}" \
    -v owner="${KIRKLEES_DB_OWNER:-kirklees_owner}" -v owner_password="$DB_OWNER_PASSWORD" \
    -v runtime="${KIRKLEES_DB_RUNTIME:-kirklees_app}" -v runtime_password="$DB_APP_PASSWORD" \
    -f /docker-entrypoint-initdb.d/kirklees-roles.psql
