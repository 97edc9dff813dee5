#!/usr/bin/env bash
# Rebond restore: checks the backup's SHA256SUMS, restores the database into DATABASE_URL (an empty database, or
# one whose objects are replaced: --clean) and unpacks the files into the storages' folders.
# Stop the web processes, workers and beat first; run `manage.py migrate` afterwards if the code is newer.
#
#   DATABASE_URL=postgres://... PRIVATE_MEDIA_ROOT=/srv/rebond/private MEDIA_ROOT=/srv/rebond/media \
#     deploy/restore.sh /backups/rebond-20261201T0300
set -euo pipefail
source_dir="${1:?usage: restore.sh BACKUP_FOLDER}"
: "${DATABASE_URL:?DATABASE_URL must be set}"
: "${PRIVATE_MEDIA_ROOT:?PRIVATE_MEDIA_ROOT must be set}"
(cd "$source_dir" && sha256sum --check --quiet SHA256SUMS)

pg_restore --clean --if-exists --no-owner --no-privileges --exit-on-error --single-transaction \
  --dbname="$DATABASE_URL" "$source_dir/database.dump"
mkdir -p "$PRIVATE_MEDIA_ROOT"
tar -C "$PRIVATE_MEDIA_ROOT" -xzf "$source_dir/private.tar.gz"
if [ -f "$source_dir/media.tar.gz" ] && [ -n "${MEDIA_ROOT:-}" ]; then
  mkdir -p "$MEDIA_ROOT"
  tar -C "$MEDIA_ROOT" -xzf "$source_dir/media.tar.gz"
fi
echo "restored from $source_dir"
