// What `npm run migrate:from-helm` does to the Helm release's side, through kubectl and helm: the
// migration's record (a ConfigMap beside the release, so a run cut off at any step resumes where it
// stopped), stopping and starting the install's writers, the Secret and endpoints its stores are
// read through from the new namespace, and keeping its volumes past `helm uninstall`.
import { execFileSync } from "child_process";
import { BackupStore } from "../../components/model/backupStores";

export interface ReleaseRef {
    release: string;
    namespace: string;
    /** kubeconfig context; "" is the current one. */
    context: string;
}

/** How far a migration got; each step's time is set once it is done. */
export interface MigrationRecord {
    stack: string;
    toNamespace: string;
    configWritten: string;
    deployed?: string;
    /** What was running before the stop, so that a rollback starts exactly that again. */
    writers?: Writers;
    stoppedAt?: string;
    /** The backup each store was dumped into, in the stack's backup target. */
    dumped: Partial<Record<BackupStore, string>>;
    restoredAt?: string;
    smokePassedAt?: string;
}

/** The install's writers: its api and bot-controller (replicas), its CronJobs (gc, scheduled bots), and the bots' pods. */
export interface Writers {
    deployments: Record<string, number>;
    /** CronJobs that were not suspended before (a rollback resumes only these). */
    cronJobs: string[];
    botPods: string[];
}

/** Label the0's bot-controller puts on the pods and CronJobs it runs for bots (runtime/internal/k8s/podgen). */
export const BOT_MANAGED_BY_LABEL = "the0.app/managed-by";

export function recordName(r: ReleaseRef): string {
    return `${r.release}-migration`;
}

export function kubectl(r: ReleaseRef, args: string[], input?: string): string {
    return execFileSync("kubectl", [...(r.context ? ["--context", r.context] : []), "-n", r.namespace, ...args], {
        encoding: "utf8", input, stdio: ["pipe", "pipe", "pipe"], maxBuffer: 64 * 2 ** 20,
    });
}

function getJson<T>(r: ReleaseRef, args: string[]): T | undefined {
    const out = kubectl(r, ["get", ...args, "-o", "json", "--ignore-not-found"]).trim();
    return out === "" ? undefined : (JSON.parse(out) as T);
}

export function readRecord(r: ReleaseRef): MigrationRecord | undefined {
    const cm = getJson<{ data?: Record<string, string> }>(r, ["configmap", recordName(r)]);
    return cm?.data?.["record.json"] ? (JSON.parse(cm.data["record.json"]) as MigrationRecord) : undefined;
}

export function saveRecord(r: ReleaseRef, record: MigrationRecord): void {
    const cm = {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: recordName(r), namespace: r.namespace, labels: { "app.kubernetes.io/managed-by": "the0-infra-migrate", "app.kubernetes.io/instance": r.release } },
        data: { "record.json": JSON.stringify(record, null, 2) },
    };
    kubectl(r, ["apply", "-f", "-"], JSON.stringify(cm));
}

export function deleteRecord(r: ReleaseRef): void {
    kubectl(r, ["delete", "configmap", recordName(r), "--ignore-not-found"]);
}

interface Items<T> { items: T[] }
interface Meta { metadata: { name: string } }

/** The chart's writers (<fullname>-api, -bot-controller, its CronJobs) and the bots its controller runs, as they are now. */
export function findWriters(r: ReleaseRef, fullName: string): Writers {
    const deployments: Record<string, number> = {};
    for (const d of [`${fullName}-api`, `${fullName}-bot-controller`]) {
        const dep = getJson<{ spec: { replicas?: number } }>(r, ["deployment", d]);
        if (dep) deployments[d] = dep.spec.replicas ?? 1;
    }
    const release = getJson<Items<Meta & { spec: { suspend?: boolean } }>>(r, ["cronjobs", "-l", `app.kubernetes.io/instance=${r.release}`])?.items ?? [];
    const bots = getJson<Items<Meta & { spec: { suspend?: boolean } }>>(r, ["cronjobs", "-l", BOT_MANAGED_BY_LABEL])?.items ?? [];
    const cronJobs = [...release, ...bots].filter((c) => c.spec.suspend !== true).map((c) => c.metadata.name);
    const botPods = (getJson<Items<Meta>>(r, ["pods", "-l", BOT_MANAGED_BY_LABEL])?.items ?? []).map((p) => p.metadata.name);
    return { deployments, cronJobs: [...new Set(cronJobs)].sort(), botPods: botPods.sort() };
}

/**
 * Stops the install's writes: api and bot-controller to 0 (waiting for their pods to go), every
 * CronJob suspended, the bots' pods deleted (with the controller stopped nothing starts them again;
 * left running, each bot would trade twice once the new install starts it). Idempotent.
 */
export function stopWriters(r: ReleaseRef, w: Writers): void {
    for (const d of Object.keys(w.deployments)) kubectl(r, ["scale", "deployment", d, "--replicas=0"]);
    for (const c of w.cronJobs) kubectl(r, ["patch", "cronjob", c, "--type=merge", "-p", '{"spec":{"suspend":true}}']);
    for (const d of Object.keys(w.deployments)) kubectl(r, ["rollout", "status", "deployment", d, "--timeout=300s"]);
    kubectl(r, ["delete", "pods", "-l", BOT_MANAGED_BY_LABEL, "--ignore-not-found", "--wait=true", "--timeout=300s"]);
}

/** Rollback: what `stopWriters` stopped runs again (the bot-controller starts the bots from its stores). */
export function startWriters(r: ReleaseRef, w: Writers): void {
    for (const [d, n] of Object.entries(w.deployments)) kubectl(r, ["scale", "deployment", d, `--replicas=${n}`]);
    for (const c of w.cronJobs) kubectl(r, ["patch", "cronjob", c, "--type=merge", "-p", '{"spec":{"suspend":false}}']);
}

/**
 * The Secret a migration's dump pods read the install's stores with, in the stack's namespace (a pod
 * reads Secrets of its own namespace only): the install's own keys, its in-cluster hosts qualified
 * with their namespace (`<fullname>-postgres` would resolve to the stack's own server there).
 */
export function sourceSecretData(release: Record<string, string>, fullName: string, namespace: string): Record<string, string> {
    const qualify = (url: string | undefined, component: string) =>
        (url ?? "").split(`@${fullName}-${component}:`).join(`@${fullName}-${component}.${namespace}.svc:`);
    return {
        "database-url": qualify(release["database-url"], "postgres"),
        "mongo-url": qualify(release["mongo-url"], "mongo"),
        "minio-access-key": release["minio-access-key"] ?? "",
        "minio-secret-key": release["minio-secret-key"] ?? "",
    };
}

/** The install's object storage as the dump pods reach it. */
export function sourceObjectStorageUrl(fullName: string, namespace: string, port: number): string {
    return `http://${fullName}-minio.${namespace}.svc:${port}`;
}

/** A volume the chart created, and the PersistentVolume holding its data. */
export interface KeptVolume {
    claim: string;
    volume: string;
}

/**
 * Keeps the install's data past `helm uninstall`, which deletes the claims it created: an annotation
 * on the live claim does not help, Helm reads `helm.sh/resource-policy` from the manifest it stored
 * at install. The claims' volumes are set to Retain instead, so their data outlives the claims.
 */
export function retainVolumes(r: ReleaseRef): KeptVolume[] {
    const claims = getJson<Items<Meta & { spec: { volumeName?: string } }>>(r, ["pvc", "-l", `app.kubernetes.io/instance=${r.release}`])?.items ?? [];
    const kept: KeptVolume[] = [];
    for (const c of claims) {
        const volume = c.spec.volumeName;
        if (!volume) continue;
        kubectl(r, ["patch", "pv", volume, "--type=merge", "-p", JSON.stringify({
            spec: { persistentVolumeReclaimPolicy: "Retain" },
            metadata: { labels: { "the0.app/migrated-from": r.namespace }, annotations: { "the0.app/migrated-from-claim": `${r.namespace}/${c.metadata.name}` } },
        })]);
        kept.push({ claim: c.metadata.name, volume });
    }
    return kept;
}

export function helmUninstall(r: ReleaseRef): void {
    execFileSync("helm", ["uninstall", r.release, "-n", r.namespace, "--wait", ...(r.context ? ["--kube-context", r.context] : [])], { stdio: ["ignore", "pipe", "pipe"] });
}
