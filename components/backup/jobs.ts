// The pods of the backup CronJobs and of the restore Jobs, as plain objects: the program deploys the
// first, `npm run restore` creates the second from the same builders, so both run hardened like every
// pod (PSA restricted, read-only root, no token, requests and limits) with the same network policy.
import * as k8s from "@pulumi/kubernetes";
import { PlatformConfig } from "../config/types";
import { appSecretName, fullName, labels } from "../k8s/meta";
import { secretEnv } from "../k8s/secretRefs";
import { ContainerArgs, podTemplate, RunAs } from "../k8s/workload";
import { BACKUP_STORE_REGISTRY, BackupStore } from "../model/backupStores";
import { MINIO_CLIENT_USER } from "../model/basics";
import { PORTS } from "../model/ports";
import * as scripts from "./scripts";
import { backupServiceAccountName, BackupTarget, restoreJobName, storePath } from "../plan/backups";
import { DeploymentPlan } from "../plan/plan";

type EnvVar = k8s.types.input.core.v1.EnvVar;
type PodTemplateSpec = k8s.types.input.core.v1.PodTemplateSpec;

/** The MinIO client image runs as any user; these ids match the MinIO server's. */
const MC_USER: RunAs = MINIO_CLIENT_USER;
/** The official images' own users: postgres (alpine) 70, mongodb 999. */
const POSTGRES_USER: RunAs = { uid: 70, gid: 70, fsGroup: 1000 };
const MONGO_USER: RunAs = { uid: 999, gid: 999, fsGroup: 1000 };
/** The scratch emptyDir is written by the database image and read by the client image. */
const SCRATCH = scripts.SCRATCH_DIR;

/** Label on restore pods, beside their store's backup component (whose NetworkPolicy they share). */
export const RESTORE_LABEL = "the0.app/restore";

/** Where this stack's backups go; a stack with backups off has no backup or restore pods. */
function targetOf(plan: DeploymentPlan): BackupTarget {
    if (!plan.backups) throw new Error(`stack ${plan.config.stack} has backups off: there is no backup target`);
    return plan.backups.target;
}

function targetEnv(plan: DeploymentPlan, store: BackupStore): EnvVar[] {
    const target = targetOf(plan);
    const r = plan.config.backups.retention;
    return [
        { name: "TARGET_URL", value: target.url },
        secretEnv("TARGET_ACCESS_KEY", target.accessKey),
        secretEnv("TARGET_SECRET_KEY", target.secretKey),
        { name: "TARGET_PATH", value: storePath(target, store) },
        { name: "CREATE_BUCKET", value: String(target.createBucket) },
        { name: "KEEP_COUNT", value: String(r.count) },
        { name: "KEEP_DAYS", value: String(r.maxAgeDays) },
        // The client keeps its alias config under $HOME; the root filesystem is read-only.
        { name: "HOME", value: "/tmp" },
    ];
}

/**
 * The stores a backup or restore pod connects to: the Secret with their connection keys (the app
 * Secret's names: database-url, mongo-url, minio-access-key, minio-secret-key) and the object
 * storage's S3 endpoint. The stack's own, or another install's read by a migration.
 */
export interface StoreSource {
    secretName: string;
    objectStorageUrl: string;
    /** A bucket the mirror leaves out (the stack's own backups, when they live in that object storage). */
    excludeBucket: string;
}

/** The stack's own in-cluster stores, with the app Secret's keys. */
function ownStores(cfg: PlatformConfig): StoreSource {
    const t = cfg.backups.target;
    return {
        secretName: appSecretName(cfg),
        objectStorageUrl: `http://${fullName(cfg, "minio")}:${PORTS.minioApi}`,
        // Backups kept in the same object storage are not backed up again.
        excludeBucket: t.kind === "inCluster" ? t.bucket : "",
    };
}

/** The object storage as the mirror's source (its root keys). */
function sourceEnv(source: StoreSource): EnvVar[] {
    return [
        { name: "SOURCE_URL", value: source.objectStorageUrl },
        secretEnv("SOURCE_ACCESS_KEY", { name: source.secretName, key: "minio-access-key" }),
        secretEnv("SOURCE_SECRET_KEY", { name: source.secretName, key: "minio-secret-key" }),
        { name: "EXCLUDE_BUCKET", value: source.excludeBucket },
    ];
}

/** The connection string the0 itself uses: the same URL, the same credentials, the same seam. */
function databaseEnv(source: StoreSource, store: "postgres" | "mongo"): EnvVar[] {
    return store === "postgres"
        ? [secretEnv("DATABASE_URL", { name: source.secretName, key: "database-url" })]
        : [secretEnv("MONGO_URL", { name: source.secretName, key: "mongo-url" })];
}

function shell(script: string): string[] {
    return ["/bin/sh", "-c", script];
}

function clientContainer(cfg: PlatformConfig, name: string, script: string, env: EnvVar[]): ContainerArgs {
    return {
        name,
        image: cfg.backups.clientImage,
        pullPolicy: cfg.imagePullPolicy,
        command: shell(script),
        env,
        resources: cfg.backups.resources,
        user: MC_USER,
        writablePaths: [SCRATCH, "/tmp"],
    };
}

function databaseContainer(cfg: PlatformConfig, source: StoreSource, store: "postgres" | "mongo", name: string, script: string, extraEnv: EnvVar[] = []): ContainerArgs {
    return {
        name,
        image: cfg[store].image,
        pullPolicy: cfg.imagePullPolicy,
        command: shell(script),
        // mongosh keeps its logs under $HOME; the root filesystem is read-only.
        env: [...databaseEnv(source, store), { name: "HOME", value: "/tmp" }, ...extraEnv],
        resources: cfg.backups.resources,
        user: store === "postgres" ? POSTGRES_USER : MONGO_USER,
        writablePaths: [SCRATCH, "/tmp"],
    };
}

function jobPod(cfg: PlatformConfig, store: BackupStore, main: ContainerArgs, init: ContainerArgs[], extraLabels?: Record<string, string>): PodTemplateSpec {
    return podTemplate(cfg, {
        component: BACKUP_STORE_REGISTRY[store].component,
        container: main,
        initContainers: init,
        serviceAccountName: backupServiceAccountName(cfg),
        automountToken: false,
        restartPolicy: "Never",
        extraLabels,
    });
}

/** One scheduled backup run of `store`: dump with the server's image, then upload and retention with the client. */
export function backupPod(plan: DeploymentPlan, store: BackupStore): PodTemplateSpec {
    return dumpPod(plan, store, ownStores(plan.config), []);
}

/** A dump of `source`'s `store` into the stack's backup target; `extraEnv` goes to every container. */
function dumpPod(plan: DeploymentPlan, store: BackupStore, source: StoreSource, extraEnv: EnvVar[], extraLabels?: Record<string, string>): PodTemplateSpec {
    const cfg = plan.config;
    const upload = (name: string, script: string, env: EnvVar[]) => clientContainer(cfg, name, script, [...targetEnv(plan, store), ...env, ...extraEnv]);
    switch (store) {
        case "postgres":
            return jobPod(cfg, store, upload("upload", scripts.UPLOAD, []), [databaseContainer(cfg, source, store, "dump", scripts.DUMP_POSTGRES, extraEnv)], extraLabels);
        case "mongo":
            return jobPod(cfg, store, upload("upload", scripts.UPLOAD, []), [databaseContainer(cfg, source, store, "dump", scripts.DUMP_MONGO, extraEnv)], extraLabels);
        case "objectStorage":
            return jobPod(cfg, store, upload("mirror", scripts.MIRROR_OBJECT_STORAGE, sourceEnv(source)), [], extraLabels);
    }
}

export interface RestoreRequest {
    /** `latest`, a UTC stamp YYYYMMDDTHHMMSSZ (the newest backup at or before it), or a backup's name. */
    from: string;
    /** Replace what the store holds; without it a store with data is refused. */
    force: boolean;
}

/** One restore of `store`: fetch with the client, then restore with the server's image (object storage: the client alone). */
export function restorePod(plan: DeploymentPlan, store: BackupStore, req: RestoreRequest): PodTemplateSpec {
    const cfg = plan.config;
    const request: EnvVar[] = [{ name: "FROM", value: req.from }, { name: "FORCE", value: String(req.force) }];
    const restoreLabel = { [RESTORE_LABEL]: "true" };
    const own = ownStores(cfg);
    const fetch = clientContainer(cfg, "fetch", scripts.FETCH, [...targetEnv(plan, store), ...request]);
    switch (store) {
        case "postgres":
            return jobPod(cfg, store, databaseContainer(cfg, own, store, "restore", scripts.RESTORE_POSTGRES, request), [fetch], restoreLabel);
        case "mongo":
            return jobPod(cfg, store, databaseContainer(cfg, own, store, "restore", scripts.RESTORE_MONGO, request), [fetch], restoreLabel);
        case "objectStorage":
            return jobPod(cfg, store, clientContainer(cfg, "restore", scripts.RESTORE_OBJECT_STORAGE, [...targetEnv(plan, store), ...sourceEnv(own), ...request]), [], restoreLabel);
    }
}

/** A restore as a one-shot Job manifest (what `npm run restore` creates). */
export function restoreJob(plan: DeploymentPlan, store: BackupStore, req: RestoreRequest) {
    return oneShotJob(plan.config, restoreJobName(plan.config, store), store, RESTORE_LABEL, restorePod(plan, store, req));
}

/** Never retried: a failed restore or migration dump is read, not repeated. */
function oneShotJob(cfg: PlatformConfig, name: string, store: BackupStore, label: string, template: PodTemplateSpec) {
    const component = BACKUP_STORE_REGISTRY[store].component;
    return {
        apiVersion: "batch/v1",
        kind: "Job",
        metadata: { name, namespace: cfg.kubernetes.namespace, labels: { ...labels(cfg, component), [label]: "true" } },
        spec: {
            backoffLimit: 0,
            activeDeadlineSeconds: cfg.backups.deadlineSeconds,
            ttlSecondsAfterFinished: 7 * 24 * 3600,
            template,
        },
    };
}

/** Label on the pods of a migration's dump Jobs: the temporary NetworkPolicy that reaches the other install selects them. */
export const MIGRATION_LABEL = "the0.app/migration";

export interface MigrationDumpRequest {
    /** The backup's name (a UTC stamp, YYYYMMDDTHHMMSSZ), chosen by the caller so that it restores exactly this one. */
    stamp: string;
    /** The other install's stores: a Secret in the stack's namespace with the app Secret's key names, and its S3 endpoint. */
    source: { secretName: string; objectStorageUrl: string };
}

/** The name of a store's migration dump Job: <instance>-migrate-<store component>. */
export function migrationJobName(cfg: PlatformConfig, store: BackupStore): string {
    return fullName(cfg, BACKUP_STORE_REGISTRY[store].component.replace(/^backup-/, "migrate-"));
}

/**
 * One dump of another install's `store` (the0's Helm chart, read as an external store) into this
 * stack's backup target, with the backup CronJob's own containers and scripts: the restore Job then
 * loads it as it would any backup (what `npm run migrate:from-helm` runs).
 */
export function migrationDumpJob(plan: DeploymentPlan, store: BackupStore, req: MigrationDumpRequest) {
    const cfg = plan.config;
    const source: StoreSource = { ...req.source, excludeBucket: "" };
    const pod = dumpPod(plan, store, source, [{ name: "STAMP", value: req.stamp }], { [MIGRATION_LABEL]: "true" });
    return oneShotJob(cfg, migrationJobName(cfg, store), store, MIGRATION_LABEL, pod);
}

/** What a dump named by `stamp` is called in the target: `<stamp>.dump`, `<stamp>.archive.gz`, or the folder `<stamp>`. */
export function backupName(store: BackupStore, stamp: string): string {
    const artifact = BACKUP_STORE_REGISTRY[store].artifact;
    return artifact.kind === "file" ? `${stamp}.${artifact.extension}` : stamp;
}

/**
 * While a migration copies, its dump pods may reach the other install's namespace on its stores'
 * ports; every other path stays as the derived policies say. Removed when the copy ends.
 */
export function migrationNetworkPolicy(cfg: PlatformConfig, fromNamespace: string, ports: number[]) {
    return {
        apiVersion: "networking.k8s.io/v1",
        kind: "NetworkPolicy",
        metadata: { name: fullName(cfg, "migration-source"), namespace: cfg.kubernetes.namespace, labels: { ...labels(cfg, "migration"), [MIGRATION_LABEL]: "true" } },
        spec: {
            podSelector: { matchLabels: { [MIGRATION_LABEL]: "true" } },
            policyTypes: ["Egress"],
            egress: [{
                to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": fromNamespace } } }],
                ports: [...new Set(ports)].sort((a, b) => a - b).map((port) => ({ protocol: "TCP", port })),
            }],
        },
    };
}
