// Where backups go and what the backup objects are called, decided once for the jobs, the network
// graph, the alerts and dashboards, the outputs and `npm run restore`.
import { backedUpStores, externalStores } from "../config/facts";
import { PlatformConfig } from "../config/types";
import { appSecretName, fullName } from "../k8s/meta";
import { SecretRef } from "../k8s/secretRefs";
import { BACKUP_STORE_REGISTRY, BackupStore } from "../model/backupStores";
import { PORTS } from "../model/ports";

export interface BackupTarget {
    /** The S3 endpoint the MinIO client connects to. */
    url: string;
    /** `<bucket>[/<prefix>]/<stack>`: every store's backups go under `<basePath>/<store>/`. */
    basePath: string;
    /** The in-cluster bucket is created by the first job; an S3 bucket must exist. */
    createBucket: boolean;
    accessKey: SecretRef;
    secretKey: SecretRef;
    /** Where the jobs connect: the in-cluster object storage, or a host outside the cluster on this port. */
    inCluster: boolean;
    port: number;
    /** For outputs and docs: no credentials. */
    display: string;
}

/** The Secret this program writes for an S3 target's keys (none with target.existingSecret). */
export function backupTargetSecretName(cfg: PlatformConfig): string {
    return fullName(cfg, "backup-target");
}

/** The ServiceAccount of every backup and restore pod (no token; a place for cloud IAM bindings). */
export function backupServiceAccountName(cfg: PlatformConfig): string {
    return fullName(cfg, "backup");
}

function backupTarget(cfg: PlatformConfig, appSecret: string): BackupTarget {
    const t = cfg.backups.target;
    const basePath = [t.bucket, t.prefix, cfg.stack].filter((p) => p !== "").join("/");
    if (t.kind === "inCluster") {
        return {
            url: `http://${fullName(cfg, "minio")}:${PORTS.minioApi}`,
            basePath,
            createBucket: true,
            accessKey: { name: appSecret, key: "minio-access-key" },
            secretKey: { name: appSecret, key: "minio-secret-key" },
            inCluster: true,
            port: PORTS.minioApi,
            display: `in-cluster object storage, s3://${basePath}/`,
        };
    }
    const url = new URL(t.endpoint);
    const secret = t.existingSecret !== "" ? t.existingSecret : backupTargetSecretName(cfg);
    return {
        url: url.origin,
        basePath,
        createBucket: false,
        accessKey: { name: secret, key: "access-key" },
        secretKey: { name: secret, key: "secret-key" },
        inCluster: false,
        port: url.port !== "" ? Number(url.port) : url.protocol === "https:" ? 443 : 80,
        display: `${url.origin}, s3://${basePath}/`,
    };
}

export function storePath(target: BackupTarget, store: BackupStore): string {
    return `${target.basePath}/${store}`;
}

/** The name of a store's backup CronJob and of its restore Job. */
export function backupJobName(cfg: PlatformConfig, store: BackupStore): string {
    return fullName(cfg, BACKUP_STORE_REGISTRY[store].component);
}
export function restoreJobName(cfg: PlatformConfig, store: BackupStore): string {
    return fullName(cfg, BACKUP_STORE_REGISTRY[store].component.replace(/^backup-/, "restore-"));
}

/** Backups as the tiers see them: where they go and which stores they cover. */
export interface BackupPlan {
    target: BackupTarget;
    /** The in-cluster stores, each with its CronJob's name. */
    stores: ReadonlyArray<{ store: BackupStore; jobName: string }>;
    /** Stores outside the cluster: their provider's to back up. */
    externalStores: readonly BackupStore[];
    /** The Secret this program writes for an S3 target's keys; undefined when the app Secret or the user's own holds them. */
    ownTargetSecret?: string;
}

export function backupPlan(cfg: PlatformConfig): BackupPlan | undefined {
    if (!cfg.backups.enabled) return undefined;
    const t = cfg.backups.target;
    return {
        target: backupTarget(cfg, appSecretName(cfg)),
        stores: backedUpStores(cfg).map((store) => ({ store, jobName: backupJobName(cfg, store) })),
        externalStores: externalStores(cfg),
        ownTargetSecret: t.kind === "s3" && t.existingSecret === "" ? backupTargetSecretName(cfg) : undefined,
    };
}
