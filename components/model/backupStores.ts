// The stores the backup jobs cover, kept as data like the data-service registry: the0's users, bots
// and schedules (PostgreSQL), the runtime's desired state (MongoDB), bot code, logs and state
// (object storage). Redis is a cache and NATS JetStream carries logs in flight: neither is backed up.
import { DataServiceKey } from "./dataServices";

export const BACKUP_STORES = ["postgres", "mongo", "objectStorage"] as const;
export type BackupStore = (typeof BACKUP_STORES)[number] & DataServiceKey;

export interface BackupStoreSpec {
    store: BackupStore;
    /** app.kubernetes.io/component of its backup and restore pods (and their NetworkPolicy). */
    component: string;
    /** What one backup is: a file (its name's extension) or a folder of mirrored buckets. */
    artifact: { kind: "file"; extension: string } | { kind: "folder" };
    /** How it is made, for the docs. */
    method: string;
}

export const BACKUP_STORE_REGISTRY: Readonly<Record<BackupStore, BackupStoreSpec>> = {
    postgres: { store: "postgres", component: "backup-postgres", artifact: { kind: "file", extension: "dump" }, method: "pg_dump --format=custom of the0's database, from the server's own image" },
    mongo: { store: "mongo", component: "backup-mongo", artifact: { kind: "file", extension: "archive.gz" }, method: "mongodump --archive --gzip of the whole server (a restore leaves admin, config and local alone), from the server's own image" },
    objectStorage: { store: "objectStorage", component: "backup-minio", artifact: { kind: "folder" }, method: "mc mirror of every bucket into a folder per run" },
};

/** the0's own buckets (api, bot-controller and runtime defaults); a backup bucket must be none of them. */
export const THE0_BUCKETS = ["custom-bots", "bot-logs", "bot-state", "query-results", "backtests"] as const;
