#!/usr/bin/env bash
# Rebond backup: the PostgreSQL database (pg_dump custom format, consistent snapshot) and the files of the two
# storages when they are folders (private documents first: they cannot be rebuilt). On S3, back the buckets up
# with the store's own versioning/replication instead (docs/deploy.md, "Backups").
#
#   DATABASE_URL=postgres://... PRIVATE_MEDIA_ROOT=/srv/rebond/private MEDIA_ROOT=/srv/rebond/media \
#     deploy/backup.sh /backups/rebond-$(date +%Y%m%dT%H%M)
#
# Writes into the target folder: database.dump, private.tar.gz, media.tar.gz and SHA256SUMS. Fails on any error.
set -euo pipefail
target="${1:?usage: backup.sh TARGET_FOLDER}"
: "${DATABASE_URL:?DATABASE_URL must be set}"
: "${PRIVATE_MEDIA_ROOT:?PRIVATE_MEDIA_ROOT must be set}"
mkdir -p "$target"
umask 077  # the dump and the private files hold personal data

pg_dump --format=custom --no-owner --no-privileges --dbname="$DATABASE_URL" --file="$target/database.dump"
tar -C "$PRIVATE_MEDIA_ROOT" -czf "$target/private.tar.gz" .
if [ -n "${MEDIA_ROOT:-}" ] && [ -d "$MEDIA_ROOT" ]; then
  tar -C "$MEDIA_ROOT" -czf "$target/media.tar.gz" .
fi
(cd "$target" && sha256sum ./*.dump ./*.tar.gz > SHA256SUMS)
echo "backup written to $target"
