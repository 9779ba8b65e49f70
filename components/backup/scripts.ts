// The shell the backup and restore containers run, as data. POSIX sh with coreutils only: the MinIO
// client image (UBI micro) has bash and coreutils but no awk or grep, the database images busybox or
// Debian tools. Every value comes from the environment (never from the command line the program
// renders), and the contract suite runs these exact scripts against real servers. A dump names its
// backup with the time it runs, or with STAMP when set (a migration's dump, named once for all stores).

/** Where a dump is written before upload, and a download before restore (an emptyDir). */
export const SCRATCH_DIR = "/backup";

/** `YYYYMMDDTHHMMSSZ`: how every backup is named, so names sort by time. */
export const STAMP_FORMAT = "+%Y%m%dT%H%M%SZ";
export const STAMP_PATTERN = /^\d{8}T\d{6}Z$/;

const SH_STAMP_GLOB = "[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]T[0-9][0-9][0-9][0-9][0-9][0-9]Z*";

/** mc aliases from the environment: target always, source for object storage. */
function aliases(withSource: boolean): string[] {
    return [
        `mc alias set target "$TARGET_URL" "$TARGET_ACCESS_KEY" "$TARGET_SECRET_KEY" >/dev/null`,
        ...(withSource ? [`mc alias set source "$SOURCE_URL" "$SOURCE_ACCESS_KEY" "$SOURCE_SECRET_KEY" >/dev/null`] : []),
    ];
}

/** Functions every mc script shares: the backups under a path, and removing one. */
const LIST_BACKUPS = [
    "# The backups under $1 (an mc path ending in /), oldest first: entries named by a UTC stamp (folders end in /).",
    "backups() {",
    "  mc ls \"$1\" | while IFS= read -r line; do",
    "    name=${line##* }",
    `    case $name in ${SH_STAMP_GLOB}) echo "$name" ;; esac`,
    "  done | sort",
    "}",
    "remove() {",
    "  case $1 in",
    "    */) mc rm --recursive --force \"$1\" >/dev/null ;;",
    "    *) mc rm --force \"$1\" >/dev/null ;;",
    "  esac",
    "}",
    "stamp_of() { printf %s \"$1\" | cut -c1-16; }",
];

/**
 * Retention, after a successful upload: remove what is beyond the newest KEEP_COUNT or older than
 * KEEP_DAYS days (0 = no such limit). The newest backup is never removed, so a schedule that stopped
 * for longer than KEEP_DAYS still leaves one.
 */
const PRUNE = [
    "prune() {",
    "  dir=$1",
    "  cutoff=",
    "  if [ \"$KEEP_DAYS\" -gt 0 ]; then cutoff=$(date -u -d \"@$(($(date -u +%s) - KEEP_DAYS * 86400))\" " + STAMP_FORMAT + "); fi",
    "  total=$(backups \"$dir\" | wc -l)",
    "  index=0",
    "  backups \"$dir\" | while IFS= read -r name; do",
    "    index=$((index + 1))",
    "    newer=$((total - index))",
    "    [ \"$newer\" -gt 0 ] || continue",
    "    stale=false",
    "    if [ \"$KEEP_COUNT\" -gt 0 ] && [ \"$newer\" -ge \"$KEEP_COUNT\" ]; then stale=true; fi",
    "    if [ -n \"$cutoff\" ] && expr \"$(stamp_of \"$name\")\" \\< \"$cutoff\" >/dev/null; then stale=true; fi",
    "    if [ \"$stale\" = true ]; then remove \"$dir$name\"; echo \"retention: removed $dir$name\"; fi",
    "  done",
    "}",
];

/**
 * The backup FROM names under $1: `latest`, a UTC stamp (the newest at or before it) or an exact
 * name. An object-storage snapshot counts only once its bucket list (written last) is there.
 */
const PICK = [
    "pick() {",
    "  dir=$1",
    "  chosen=",
    "  for name in $(backups \"$dir\"); do",
    "    case $name in */) mc stat \"$dir$name.buckets\" >/dev/null 2>&1 || continue ;; esac",
    "    case $FROM in",
    "      latest) chosen=$name ;;",
    `      ${SH_STAMP_GLOB.slice(0, -1)}) if ! expr "$FROM" \\< "$(stamp_of "$name")" >/dev/null; then chosen=$name; fi ;;`,
    "      *) if [ \"$FROM\" = \"$name\" ] || [ \"$FROM/\" = \"$name\" ]; then chosen=$name; fi ;;",
    "    esac",
    "  done",
    "  echo \"$chosen\"",
    "}",
];

/** Picks the backup FROM names under the store's path into $name, or stops (exit 2) saying what it looked for. */
function pickOrStop(what: string, nameOf: string): string[] {
    return [
        "name=$(pick \"target/$TARGET_PATH/\")",
        `if [ -z "$name" ]; then echo "no ${what} under target/$TARGET_PATH/ matches '$FROM' (latest, a UTC time YYYYMMDDTHHMMSSZ, or ${nameOf})" >&2; exit 2; fi`,
    ];
}

/** Stops (exit 3) when the shell variable `count` is not 0 and FORCE is not true: a store that holds data is not overwritten unasked. */
function refuseUnlessForced(count: string, holds: string): string[] {
    return [
        `if [ "$${count}" != 0 ] && [ "$FORCE" != true ]; then`,
        `  echo "refusing to restore: ${holds}; restore with --force to replace them" >&2`,
        "  exit 3",
        "fi",
    ];
}

const CREATE_BUCKET = "if [ \"$CREATE_BUCKET\" = true ]; then mc mb --ignore-existing \"target/${TARGET_PATH%%/*}\" >/dev/null; fi";

function script(lines: string[]): string {
    return ["set -eu", ...lines].join("\n");
}

/** PostgreSQL dump (server image): the0's database, custom format, named by the time it started. */
export const DUMP_POSTGRES = script([
    `stamp=\${STAMP:-$(date -u ${STAMP_FORMAT})}`,
    `pg_dump --format=custom --no-password --dbname="$DATABASE_URL" --file="${SCRATCH_DIR}/$stamp.dump.partial"`,
    `mv "${SCRATCH_DIR}/$stamp.dump.partial" "${SCRATCH_DIR}/$stamp.dump"`,
    `echo "dumped $stamp.dump"`,
]);

/** MongoDB dump (server image): every database, one gzipped archive. */
export const DUMP_MONGO = script([
    `stamp=\${STAMP:-$(date -u ${STAMP_FORMAT})}`,
    `mongodump --uri="$MONGO_URL" --archive="${SCRATCH_DIR}/$stamp.archive.gz.partial" --gzip --quiet`,
    `mv "${SCRATCH_DIR}/$stamp.archive.gz.partial" "${SCRATCH_DIR}/$stamp.archive.gz"`,
    `echo "dumped $stamp.archive.gz"`,
]);

/** Upload (MinIO client image): the dump in the scratch dir to TARGET_PATH, then retention. */
export const UPLOAD = script([
    ...aliases(false),
    ...LIST_BACKUPS,
    ...PRUNE,
    CREATE_BUCKET,
    `for file in ${SCRATCH_DIR}/*; do`,
    `  mc cp --quiet "$file" "target/$TARGET_PATH/" >/dev/null`,
    `  echo "uploaded target/$TARGET_PATH/\${file##*/} ($(wc -c <"$file") bytes)"`,
    "done",
    "prune \"target/$TARGET_PATH/\"",
]);

/**
 * Object storage (MinIO client image): every bucket but EXCLUDE_BUCKET mirrored into a folder named
 * by the time it started; the bucket list, written last, marks the snapshot complete.
 */
export const MIRROR_OBJECT_STORAGE = script([
    ...aliases(true),
    ...LIST_BACKUPS,
    ...PRUNE,
    CREATE_BUCKET,
    `stamp=\${STAMP:-$(date -u ${STAMP_FORMAT})}`,
    "dest=\"target/$TARGET_PATH/$stamp\"",
    "buckets=$(mc ls source | while IFS= read -r line; do name=${line##* }; name=${name%/}; [ \"$name\" = \"$EXCLUDE_BUCKET\" ] || echo \"$name\"; done)",
    "for bucket in $buckets; do",
    "  mc mirror --quiet \"source/$bucket\" \"$dest/$bucket\" >/dev/null",
    "  echo \"mirrored $bucket into $dest/$bucket\"",
    "done",
    "printf '%s\\n' $buckets | mc pipe \"$dest/.buckets\" >/dev/null",
    "echo \"snapshot $dest complete\"",
    "prune \"target/$TARGET_PATH/\"",
]);

/** Restore, first step (MinIO client image): download the backup FROM names into the scratch dir. */
export const FETCH = script([
    ...aliases(false),
    ...LIST_BACKUPS,
    ...PICK,
    ...pickOrStop("backup", "a backup's name"),
    `mc cp --quiet "target/$TARGET_PATH/$name" "${SCRATCH_DIR}/$name" >/dev/null`,
    "echo \"fetched target/$TARGET_PATH/$name\"",
]);

/** Restore PostgreSQL (server image): refuses a database that has tables unless FORCE, then restores in one transaction. */
export const RESTORE_POSTGRES = script([
    "tables=$(psql \"$DATABASE_URL\" -Atc \"select count(*) from pg_catalog.pg_tables where schemaname not in ('pg_catalog', 'information_schema')\")",
    ...refuseUnlessForced("tables", "the database has $tables tables"),
    `for file in ${SCRATCH_DIR}/*.dump; do`,
    "  pg_restore --dbname=\"$DATABASE_URL\" --clean --if-exists --no-owner --single-transaction --exit-on-error \"$file\"",
    "  echo \"restored ${file##*/}\"",
    "done",
]);

/** Restore MongoDB (server image): refuses a server holding data unless FORCE; the users (admin) stay as they are. */
export const RESTORE_MONGO = script([
    "databases=$(mongosh \"$MONGO_URL\" --quiet --eval \"db.adminCommand({ listDatabases: 1, nameOnly: true }).databases.filter((d) => !['admin', 'config', 'local'].includes(d.name)).length\")",
    ...refuseUnlessForced("databases", "the server holds $databases databases"),
    `for file in ${SCRATCH_DIR}/*.archive.gz; do`,
    "  mongorestore --uri=\"$MONGO_URL\" --archive=\"$file\" --gzip --drop --nsExclude='admin.*' --nsExclude='config.*' --nsExclude='local.*'",
    "  echo \"restored ${file##*/}\"",
    "done",
]);

/** Restore object storage (MinIO client image): refuses non-empty buckets unless FORCE, which empties them first. */
export const RESTORE_OBJECT_STORAGE = script([
    ...aliases(true),
    ...LIST_BACKUPS,
    ...PICK,
    ...pickOrStop("complete snapshot", "a snapshot's name"),
    "snapshot=\"target/$TARGET_PATH/${name%/}\"",
    "buckets=$(mc cat \"$snapshot/.buckets\")",
    "busy=",
    "for bucket in $buckets; do",
    "  if [ -n \"$(mc ls --recursive \"source/$bucket\" 2>/dev/null | head -n 1)\" ]; then busy=\"$busy $bucket\"; fi",
    "done",
    "if [ -n \"$busy\" ] && [ \"$FORCE\" != true ]; then",
    "  echo \"refusing to restore: these buckets hold objects:$busy; restore with --force to replace their contents\" >&2",
    "  exit 3",
    "fi",
    "for bucket in $buckets; do",
    "  mc mb --ignore-existing \"source/$bucket\" >/dev/null",
    "  if [ -n \"$busy\" ]; then mc rm --recursive --force \"source/$bucket\" >/dev/null 2>&1 || true; fi",
    "  if [ -n \"$(mc ls \"$snapshot/$bucket/\" | head -n 1)\" ]; then mc mirror --quiet \"$snapshot/$bucket\" \"source/$bucket\" >/dev/null; fi",
    "  echo \"restored $bucket from $snapshot\"",
    "done",
]);
