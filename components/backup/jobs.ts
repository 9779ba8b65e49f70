// The pods of the backup CronJobs and of the restore Jobs, as plain objects: the program deploys the
// first, `npm run restore` creates the second from the same builders, so both run hardened like every
// pod (PSA restricted, read-only root, no token, requests and limits) with the same network policy.
import * as k8s from "@pulumi/kubernetes";
import { PlatformConfig } from "../config/types";
import { fullName, labels } from "../k8s/meta";
import { appSecretEnv, secretEnv } from "../k8s/secretRefs";
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

/** The in-cluster object storage as the mirror's source (its root keys, from the app Secret). */
function sourceEnv(cfg: PlatformConfig): EnvVar[] {
    const t = cfg.backups.target;
    return [
        { name: "SOURCE_URL", value: `http://${fullName(cfg, "minio")}:${PORTS.minioApi}` },
        appSecretEnv(cfg, "SOURCE_ACCESS_KEY", "minio-access-key"),
        appSecretEnv(cfg, "SOURCE_SECRET_KEY", "minio-secret-key"),
        // Backups kept in the same object storage are not backed up again.
        { name: "EXCLUDE_BUCKET", value: t.kind === "inCluster" ? t.bucket : "" },
    ];
}

/** The connection string the0 itself uses: the same URL, the same credentials, the same seam. */
function databaseEnv(cfg: PlatformConfig, store: "postgres" | "mongo"): EnvVar[] {
    return store === "postgres"
        ? [appSecretEnv(cfg, "DATABASE_URL", "database-url")]
        : [appSecretEnv(cfg, "MONGO_URL", "mongo-url")];
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

function databaseContainer(cfg: PlatformConfig, store: "postgres" | "mongo", name: string, script: string, extraEnv: EnvVar[] = []): ContainerArgs {
    return {
        name,
        image: cfg[store].image,
        pullPolicy: cfg.imagePullPolicy,
        command: shell(script),
        // mongosh keeps its logs under $HOME; the root filesystem is read-only.
        env: [...databaseEnv(cfg, store), { name: "HOME", value: "/tmp" }, ...extraEnv],
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
    const cfg = plan.config;
    switch (store) {
        case "postgres":
            return jobPod(cfg, store, clientContainer(cfg, "upload", scripts.UPLOAD, targetEnv(plan, store)), [databaseContainer(cfg, store, "dump", scripts.DUMP_POSTGRES)]);
        case "mongo":
            return jobPod(cfg, store, clientContainer(cfg, "upload", scripts.UPLOAD, targetEnv(plan, store)), [databaseContainer(cfg, store, "dump", scripts.DUMP_MONGO)]);
        case "objectStorage":
            return jobPod(cfg, store, clientContainer(cfg, "mirror", scripts.MIRROR_OBJECT_STORAGE, [...targetEnv(plan, store), ...sourceEnv(cfg)]), []);
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
    const fetch = clientContainer(cfg, "fetch", scripts.FETCH, [...targetEnv(plan, store), ...request]);
    switch (store) {
        case "postgres":
            return jobPod(cfg, store, databaseContainer(cfg, store, "restore", scripts.RESTORE_POSTGRES, request), [fetch], restoreLabel);
        case "mongo":
            return jobPod(cfg, store, databaseContainer(cfg, store, "restore", scripts.RESTORE_MONGO, request), [fetch], restoreLabel);
        case "objectStorage":
            return jobPod(cfg, store, clientContainer(cfg, "restore", scripts.RESTORE_OBJECT_STORAGE, [...targetEnv(plan, store), ...sourceEnv(cfg), ...request]), [], restoreLabel);
    }
}

/** A restore as a one-shot Job manifest (what `npm run restore` creates), never retried: a failed restore is read, not repeated. */
export function restoreJob(plan: DeploymentPlan, store: BackupStore, req: RestoreRequest) {
    const cfg = plan.config;
    const component = BACKUP_STORE_REGISTRY[store].component;
    return {
        apiVersion: "batch/v1",
        kind: "Job",
        metadata: { name: restoreJobName(cfg, store), namespace: cfg.kubernetes.namespace, labels: { ...labels(cfg, component), [RESTORE_LABEL]: "true" } },
        spec: {
            backoffLimit: 0,
            activeDeadlineSeconds: cfg.backups.deadlineSeconds,
            ttlSecondsAfterFinished: 7 * 24 * 3600,
            template: restorePod(plan, store, req),
        },
    };
}
