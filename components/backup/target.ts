// Where backups go and what they cover, decided once for the jobs, the network graph and the outputs.
import { PlatformConfig } from "../config/types";
import { isInCluster } from "../endpoints";
import { fullName } from "../k8s/meta";
import { BACKUP_STORES, BackupStore } from "../model/backupStores";
import { PORTS } from "../model/ports";

/** A Secret key an env var reads. */
export interface SecretRef {
    name: string;
    key: string;
}

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

export function backupTarget(cfg: PlatformConfig, appSecret: string): BackupTarget {
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

/** The stores this stack backs up: the in-cluster ones, when backups are on. */
export function backedUpStores(cfg: PlatformConfig): BackupStore[] {
    if (!cfg.backups.enabled) return [];
    return BACKUP_STORES.filter((store) => isInCluster(cfg, store));
}

/** Stores outside the cluster: their provider backs them up, not this program. */
export function externalStores(cfg: PlatformConfig): BackupStore[] {
    if (!cfg.backups.enabled) return [];
    return BACKUP_STORES.filter((store) => !isInCluster(cfg, store));
}

export function storePath(target: BackupTarget, store: BackupStore): string {
    return `${target.basePath}/${store}`;
}
