// `npm run migrate:from-helm`: a Helm install of the0 moved to this program, blue/green, with its
// data (the deployment doc's "Coming from the Helm chart"). Reads the release (its user-supplied
// values and the Secret its workloads run with), writes the stack's config for a new namespace (the
// release's credentials as the stack's secrets, so sessions and the admin keep working), deploys it,
// stops the release's writers, copies PostgreSQL, MongoDB and the buckets with the backup CronJobs'
// own containers (the release read as an external store) and the restore Jobs, and checks the0 with
// the smoke Job. Dry run by default; --yes acts, and a run cut off at any step resumes where it
// stopped (its record is a ConfigMap beside the release). --rollback starts the release's writers
// again; --finish, after the DNS switch, keeps the release's volumes and uninstalls it.
// Usage: scripts/migrate-from-helm.sh.
import { execFileSync } from "child_process";
import { SecretConfigKey, secretValueProblems } from "../../components/config/secretRegistry";
import { ChartValues, chartFullName, RELEASE_SECRET_KEYS, translateChartValues } from "../migrate/chartValues";
import { backupName, migrationDumpJob, MigrationDumpRequest, migrationJobName, migrationNetworkPolicy } from "../../components/backup/jobs";
import { fullName } from "../../components/k8s/meta";
import { BACKUP_STORES, BackupStore } from "../../components/model/backupStores";
import { DeploymentPlan, resolvePlan } from "../../components/plan/plan";
import { PROJECT } from "../render/stackFiles";
import { kubectlArgs, loadStackConfig } from "../stack/stackConfig";
import { deleteRecord, findWriters, helmUninstall, MigrationRecord, readRecord, recordName, ReleaseRef, retainVolumes, saveRecord, sourceObjectStorageUrl, sourceSecretData, startWriters, stopWriters } from "../migrate/release";
import { nodePortsBeside } from "../migrate/nodePorts";
import { restoreStores } from "./restore";
import { formatLine, runJob as runSmoke } from "./smoke";
import { fail, UsageError } from "./usage";
// Scripts catch it from here to exit 2.
export { UsageError };

export interface Options {
    release: string;
    namespace: string;
    stack: string;
    toNamespace: string;
    context: string;
    yes: boolean;
    /** The last step, after the DNS switch: keep the release's volumes, uninstall it. */
    finish: boolean;
    /** Give up: the release's writers run again; the stack stays as it is. */
    rollback: boolean;
}

/** The release or the stack is not one this command may act on (exit 3); nothing has been written. */
export class RefusedError extends Error {}

const USAGE = "usage: npm run migrate:from-helm -- --release <release> --namespace <its namespace> --stack <stack> [--to-namespace <new namespace>] [--kube-context <context>] [--finish | --rollback] [--yes]";

export function parseArgs(argv: string[]): Options {
    const o: Partial<Options> = { yes: false, context: "", finish: false, rollback: false };
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        const value = (): string => argv[++i] ?? fail(`${a} needs a value`);
        if (a === "--release") o.release = value();
        else if (a === "--namespace") o.namespace = value();
        else if (a === "--stack") o.stack = value();
        else if (a === "--to-namespace") o.toNamespace = value();
        else if (a === "--kube-context") o.context = value();
        else if (a === "--yes") o.yes = true;
        else if (a === "--finish") o.finish = true;
        else if (a === "--rollback") o.rollback = true;
        else fail(`unknown argument ${a}`);
    }
    if (!o.release || !o.namespace || !o.stack) fail(USAGE);
    if (o.finish && o.rollback) fail("--finish and --rollback are two ends of a migration: choose one");
    o.toNamespace ??= `${o.namespace}-next`;
    if (o.toNamespace === o.namespace) fail("--to-namespace must differ from --namespace: the stack deploys beside the release, which stays until the cut-over");
    return o as Options;
}

/** What the command reads of a release. */
export interface Release {
    /** `<chart name>-<chart version>`, as `helm list` shows it. */
    chart: string;
    /** User-supplied values (`helm get values`). */
    values: ChartValues;
    /** The Secret the workloads run with, decoded; undefined when it cannot be found. */
    secret?: { name: string; data: Record<string, string> };
    /** THE0_ADMIN_PASSWORD read from the Secret the api's extraEnv names. */
    adminPassword?: string;
    /** Node ports the cluster's Services hold (allocated cluster-wide: the stack cannot take the release's). */
    nodePortsInUse?: number[];
}

export interface Plan {
    config: Record<string, unknown>;
    /** Secret config key -> value and where it came from (the value is never printed). */
    secrets: Partial<Record<SecretConfigKey, { value: string; from: string }>>;
    notCarried: string[];
    /** What the migration chose that the release did not say, and why. */
    notes: string[];
}

/** The stack config for a release: its values translated, the namespace and names, and the credentials it runs with. */
export function planMigration(o: Options, release: Release): Plan {
    if (!/^the0-\d/.test(release.chart)) {
        throw new RefusedError(`release ${o.release} in ${o.namespace} is chart ${release.chart}, not the0's chart (the0-<version>): nothing to migrate`);
    }
    const t = translateChartValues(release.values);
    const plan: Plan = {
        config: {
            ...t.config,
            namespace: o.toNamespace,
            instanceName: chartFullName(o.release, release.values),
            // The data is copied through the stack's backups (and stays there: the release's data as it was at the stop).
            "backups.enabled": true,
            ...(o.context ? { kubeContext: o.context } : {}),
        },
        secrets: {},
        notCarried: [...t.notCarried],
        notes: [],
    };
    const ports = nodePortsBeside(plan.config, new Set(release.nodePortsInUse ?? []));
    if (ports.problem) throw new RefusedError(ports.problem);
    Object.assign(plan.config, ports.config);
    if (ports.note) plan.notes.push(ports.note);
    for (const [key, value] of Object.entries(t.secrets) as Array<[SecretConfigKey, string]>) plan.secrets[key] = { value, from: "the release's values" };
    // What the workloads run with wins over the values: the chart's Secret holds the generated and defaulted ones too.
    for (const [secretKey, key] of Object.entries(RELEASE_SECRET_KEYS)) {
        const value = release.secret?.data[secretKey];
        if (value) plan.secrets[key] = { value, from: `Secret ${release.secret!.name}, key ${secretKey}` };
    }
    if (release.adminPassword) plan.secrets.rootAdminPassword = { value: release.adminPassword, from: "the Secret the api's THE0_ADMIN_PASSWORD reads" };
    for (const [key, s] of Object.entries(plan.secrets) as Array<[SecretConfigKey, { value: string; from: string }]>) {
        const problems = secretValueProblems(key, s.value);
        if (problems.length === 0) continue;
        delete plan.secrets[key];
        const consequence = key === "jwtSecret" ? "; a new one is generated, so everyone signs in again" : "; set one with pulumi config set --secret";
        plan.notCarried.push(`secret ${key} (${s.from}): refused here, ${problems.join("; ")}${consequence}`);
    }
    return plan;
}

/** `{a: {b: 1}}` at "x" -> {"x.a.b": 1}: leaves for `pulumi config set --path`, which types them. */
function configLeaves(key: string, value: unknown): Array<[string, unknown]> {
    // A field with dots or slashes (an annotation's name) is quoted, as --path reads it.
    const field = (k: string) => (/^[A-Za-z_][\w-]*$/.test(k) ? `.${k}` : `[${JSON.stringify(k)}]`);
    if (value && typeof value === "object" && !Array.isArray(value)) return Object.entries(value).flatMap(([k, v]) => configLeaves(`${key}${field(k)}`, v));
    return [[key, value]];
}

/**
 * The plan's config as the stack holds it once `pulumi config set --path` wrote it: one value per
 * top-level key, objects as JSON (what `pulumi config --json` hands the program).
 */
export function stackConfigValues(config: Record<string, unknown>): Record<string, string> {
    const nested: Record<string, unknown> = {};
    for (const [path, value] of Object.entries(config)) {
        const keys = path.split(".");
        let node = nested;
        for (const k of keys.slice(0, -1)) node = (node[k] ??= {}) as Record<string, unknown>;
        node[keys[keys.length - 1]] = value;
    }
    return Object.fromEntries(Object.entries(nested).map(([k, v]) => [k, typeof v === "object" ? JSON.stringify(v) : String(v)]));
}

export function describePlan(o: Options, plan: Plan): string[] {
    const lines = [`stack ${o.stack}: the0 from release ${o.release} (namespace ${o.namespace}), deployed beside it into namespace ${o.toNamespace}`];
    for (const [key, value] of Object.entries(plan.config).flatMap(([k, v]) => configLeaves(k, v))) lines.push(`  config ${key} = ${JSON.stringify(value)}`);
    for (const [key, s] of Object.entries(plan.secrets)) lines.push(`  secret ${key}: from ${s!.from}`);
    for (const n of plan.notCarried) lines.push(`  not carried: ${n}`);
    for (const n of plan.notes) lines.push(`  note: ${n}`);
    return lines;
}

function run(cmd: string, args: string[], input?: string): string {
    return execFileSync(cmd, args, { encoding: "utf8", input, stdio: ["pipe", "pipe", "pipe"], maxBuffer: 64 * 2 ** 20 });
}

/** The release as helm and kubectl show it. */
export function readRelease(o: Options): Release {
    const ctx = o.context ? ["--kube-context", o.context] : [];
    const kctx = o.context ? ["--context", o.context] : [];
    const listed = JSON.parse(run("helm", ["list", "-n", o.namespace, "--filter", `^${o.release}$`, "-o", "json", ...ctx])) as Array<{ name: string; chart: string }>;
    const entry = listed.find((r) => r.name === o.release);
    if (!entry) throw new RefusedError(`no Helm release ${o.release} in namespace ${o.namespace}`);
    const values = (JSON.parse(run("helm", ["get", "values", o.release, "-n", o.namespace, "-o", "json", ...ctx])) ?? {}) as ChartValues;
    const secretName = (values.global as { existingSecret?: string } | undefined)?.existingSecret || `${chartFullName(o.release, values)}-secrets`;
    const readSecret = (name: string): Record<string, string> | undefined => {
        try {
            const data = (JSON.parse(run("kubectl", [...kctx, "-n", o.namespace, "get", "secret", name, "-o", "json"])) as { data?: Record<string, string> }).data ?? {};
            return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v, "base64").toString("utf8")]));
        } catch {
            return undefined;
        }
    };
    const data = readSecret(secretName);
    const ref = translateChartValues(values).adminPasswordRef;
    const services = (args: string[]) => (JSON.parse(run("kubectl", [...kctx, "get", "services", ...args, "-o", "json"])) as { items: Array<{ spec: { ports?: Array<{ nodePort?: number }> } }> }).items;
    let allServices: ReturnType<typeof services>;
    try {
        allServices = services(["--all-namespaces"]);
    } catch {
        // Without a cluster-wide list, the release's own Services: the ones it surely holds.
        allServices = services(["-n", o.namespace]);
    }
    const nodePortsInUse = allServices.flatMap((s) => (s.spec.ports ?? []).map((p) => p.nodePort).filter((n): n is number => typeof n === "number"));
    return {
        chart: entry.chart,
        values,
        secret: data ? { name: secretName, data } : undefined,
        adminPassword: ref ? readSecret(ref.name)?.[ref.key] : undefined,
        nodePortsInUse,
    };
}

/** Writes the plan into the stack, which must exist and hold nothing yet (as restore refuses a store with data). */
export function applyPlan(o: Options, plan: Plan): void {
    const exported = JSON.parse(run("pulumi", ["stack", "export", "--stack", o.stack])) as { deployment?: { resources?: Array<{ type: string }> } };
    const held = (exported.deployment?.resources ?? []).filter((r) => r.type !== "pulumi:pulumi:Stack" && !r.type.startsWith("pulumi:providers:"));
    if (held.length > 0) throw new RefusedError(`stack ${o.stack} already holds ${held.length} resources: a migration writes the config of a stack that has not been deployed (create one with npm run stack:init)`);
    for (const [key, value] of Object.entries(plan.config).flatMap(([k, v]) => configLeaves(k, v))) {
        run("pulumi", ["config", "set", "--stack", o.stack, "--path", `${PROJECT}:${key}`, String(value)]);
    }
    // Values on stdin, never in a process's arguments.
    for (const [key, s] of Object.entries(plan.secrets)) run("pulumi", ["config", "set", "--stack", o.stack, "--secret", `${PROJECT}:${key}`], s!.value);
}

function releaseRef(o: Options): ReleaseRef {
    return { release: o.release, namespace: o.namespace, context: o.context };
}

const now = () => new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
const say = (line: string) => console.log(`migrate-from-helm: ${line}`);

/** The steps --yes takes, for the dry run. */
export function stepLines(o: Options): string[] {
    return [
        "With --yes (each step is recorded in ConfigMap <release>-migration beside the release; a run cut off resumes there):",
        `  1. write this config into stack ${o.stack} (which must hold no resources)`,
        `  2. pulumi up --stack ${o.stack}: the0 runs twice, the new one empty, in namespace ${o.toNamespace}`,
        `  3. stop the release's writers: api and bot-controller to 0, its CronJobs suspended, its bots' pods deleted (the0 is down from here)`,
        "  4. copy PostgreSQL, MongoDB and the buckets: the backup CronJobs' containers dump the release's stores into the stack's backup target, the restore Jobs load them",
        "  5. the smoke Job checks the new install; the time the0 was down is printed",
        `  then: switch DNS, and run again with --finish (the release's volumes kept, helm uninstall); --rollback starts the release's writers again`,
    ];
}

/** The stores to copy: those the release runs in the cluster; the stack must run and back up each. */
export function storesToCopy(plan: DeploymentPlan, values: ChartValues): BackupStore[] {
    const chartKey: Record<BackupStore, string> = { postgres: "postgresql", mongo: "mongodb", objectStorage: "minio" };
    const backedUp = (plan.backups?.stores ?? []).map((s) => s.store);
    const stores: BackupStore[] = [];
    for (const store of BACKUP_STORES) {
        const section = values[chartKey[store]] as { enabled?: boolean } | undefined;
        if (section?.enabled === false) continue;
        if (!backedUp.includes(store)) {
            throw new RefusedError(`stack ${plan.config.stack} does not back up ${store} (backups.enabled, or ${store} is external): the release's ${chartKey[store]} is copied through the stack's backup target`);
        }
        stores.push(store);
    }
    return stores;
}

/** Ports the release's stores listen on (the chart's values, else its defaults). */
function sourcePorts(values: ChartValues): { postgres: number; mongo: number; minio: number } {
    const port = (section: string, fallback: number) => Number((values[section] as { port?: number } | undefined)?.port ?? fallback);
    return { postgres: port("postgresql", 5432), mongo: port("mongodb", 27017), minio: port("minio", 9000) };
}

function stackKubectl(plan: DeploymentPlan, args: string[], input?: string): string {
    return execFileSync("kubectl", kubectlArgs(plan.config, args), { encoding: "utf8", input, stdio: ["pipe", "pipe", "pipe"] });
}

/** One dump of the release's store into the stack's backup target; returns the backup's name. */
async function dumpStore(plan: DeploymentPlan, store: BackupStore, source: MigrationDumpRequest["source"]): Promise<string> {
    const cfg = plan.config;
    const stamp = now().replace(/[-:]/g, "");
    const job = migrationDumpJob(plan, store, { stamp, source });
    const name = migrationJobName(cfg, store);
    stackKubectl(plan, ["delete", "job", name, "--ignore-not-found", "--wait=true"]);
    stackKubectl(plan, ["create", "-f", "-"], JSON.stringify(job));
    say(`4. ${store}: job ${name} dumps the release's ${store} into ${backupName(store, stamp)}`);
    const deadline = Date.now() + (cfg.backups.deadlineSeconds + 120) * 1000;
    for (;;) {
        const status = JSON.parse(stackKubectl(plan, ["get", "job", name, "-o", "json"])).status ?? {};
        if ((status.succeeded ?? 0) > 0) return backupName(store, stamp);
        if ((status.failed ?? 0) > 0 || Date.now() > deadline) {
            throw new RefusedError(`the dump job ${name} ${(status.failed ?? 0) > 0 ? "failed" : "timed out"} (kubectl -n ${cfg.kubernetes.namespace} logs job/${name} --all-containers); run again to resume, or --rollback`);
        }
        await new Promise((r) => setTimeout(r, 2000));
    }
}

/** Step 4: the temporary Secret and NetworkPolicy that let the dump pods read the release, the dumps, the restores. */
async function copyData(o: Options, release: Release, plan: DeploymentPlan, record: MigrationRecord, save: () => void): Promise<void> {
    const cfg = plan.config;
    const full = chartFullName(o.release, release.values);
    const stores = storesToCopy(plan, release.values);
    const ports = sourcePorts(release.values);
    const secretName = fullName(cfg, "migration-source");
    const pending = stores.filter((s) => record.dumped[s] === undefined);
    if (pending.length > 0) {
        if (!release.secret) throw new RefusedError(`the release's Secret cannot be read: its stores cannot be reached`);
        const secret = { apiVersion: "v1", kind: "Secret", metadata: { name: secretName, namespace: cfg.kubernetes.namespace }, type: "Opaque", stringData: sourceSecretData(release.secret.data, full, o.namespace) };
        const storePorts = { postgres: ports.postgres, mongo: ports.mongo, objectStorage: ports.minio };
        try {
            stackKubectl(plan, ["apply", "-f", "-"], JSON.stringify(secret));
            stackKubectl(plan, ["apply", "-f", "-"], JSON.stringify(migrationNetworkPolicy(cfg, o.namespace, pending.map((s) => storePorts[s]))));
            for (const store of pending) {
                record.dumped[store] = await dumpStore(plan, store, { secretName, objectStorageUrl: sourceObjectStorageUrl(full, o.namespace, ports.minio) });
                save();
            }
        } finally {
            stackKubectl(plan, ["delete", "secret", secretName, "--ignore-not-found"]);
            stackKubectl(plan, ["delete", "networkpolicy", fullName(cfg, "migration-source"), "--ignore-not-found"]);
        }
    }
    if (record.restoredAt) return;
    // --force: the stack held nothing when the migration began (step 1); what its api created since is replaced.
    const ok = await restoreStores(plan, stores.map((store) => ({ store, from: record.dumped[store]! })), true);
    if (!ok) throw new RefusedError("a restore failed (its logs are above); run again to resume, or --rollback");
    record.restoredAt = now();
    save();
}

function downtime(record: MigrationRecord): string {
    const seconds = Math.round((Date.parse(record.restoredAt!) - Date.parse(record.stoppedAt!)) / 1000);
    return `the0 was down for ${seconds} s: the release's writers stopped at ${record.stoppedAt}, the stack's started with the copied data at ${record.restoredAt}`;
}

function cutOverLines(o: Options): string[] {
    return [
        `Next: point DNS (or the Ingress hosts) at the new install (pulumi stack output --stack ${o.stack}); users reach it from then on.`,
        `Then: npm run migrate:from-helm -- --release ${o.release} --namespace ${o.namespace} --stack ${o.stack} --finish --yes`,
        `      (keeps the release's volumes, then helm uninstall ${o.release} -n ${o.namespace}).`,
        `To go back instead: the same with --rollback --yes (the release's writers start again; the stack keeps its copy).`,
    ];
}

async function migrate(o: Options, release: Release, migration: Plan): Promise<void> {
    const ref = releaseRef(o);
    let record = readRecord(ref);
    if (record && record.stack !== o.stack) {
        throw new RefusedError(`release ${o.release} is being migrated to stack ${record.stack} (ConfigMap ${recordName(ref)} in ${o.namespace}): finish or roll back that one first`);
    }
    if (!record) {
        applyPlan(o, migration);
        record = { stack: o.stack, toNamespace: o.toNamespace, configWritten: now(), dumped: {} };
        saveRecord(ref, record);
        say(`1. wrote the config of stack ${o.stack}`);
    } else {
        say(`resuming the migration to stack ${o.stack} begun at ${record.configWritten}`);
    }
    const r = record;
    const save = () => saveRecord(ref, r);
    if (!r.deployed) {
        execFileSync("pulumi", ["up", "--yes", "--skip-preview", "--stack", o.stack], { stdio: "inherit" });
        r.deployed = now();
        save();
    }
    say(`2. stack ${o.stack} deployed in namespace ${o.toNamespace}`);
    const plan = resolvePlan(loadStackConfig(o.stack, (message) => new UsageError(message)));
    storesToCopy(plan, release.values);
    if (!r.stoppedAt) {
        // Recorded before anything stops, so that a rollback after a cut-off run restores the replicas of before.
        r.writers = findWriters(ref, chartFullName(o.release, release.values));
        r.stoppedAt = now();
        save();
    }
    if (!r.restoredAt) stopWriters(ref, r.writers!);
    const w = r.writers!;
    say(`3. the release's writers stopped: ${[...Object.keys(w.deployments), ...w.cronJobs.map((c) => `cronjob ${c}`), ...(w.botPods.length ? [`${w.botPods.length} bot pods`] : [])].join(", ") || "none were running"}`);
    await copyData(o, release, plan, r, save);
    say(`4. copied: ${Object.entries(r.dumped).map(([s, b]) => `${s} (backup ${b})`).join(", ")}`);
    say(`   ${downtime(r)}`);
    const lines = await runSmoke(plan, 10);
    for (const l of lines) console.log(formatLine(l));
    if (lines.some((l) => !l.ok)) {
        throw new SmokeFailedError(`5. the smoke check failed on the new install: the data is copied, the release is stopped and untouched; fix and run again (it resumes here), or --rollback`);
    }
    r.smokePassedAt = r.smokePassedAt ?? now();
    save();
    say(`5. the smoke check passed on the new install`);
    for (const line of cutOverLines(o)) console.log(line);
}

/** The smoke check failed on the new install (exit 4); the migration's record stays for a rerun. */
export class SmokeFailedError extends Error {}

function finish(o: Options): void {
    const ref = releaseRef(o);
    const record = readRecord(ref);
    if (!record || record.stack !== o.stack) throw new RefusedError(`no migration of release ${o.release} to stack ${o.stack} is recorded (ConfigMap ${recordName(ref)} in ${o.namespace}): run it with --yes first`);
    if (!record.restoredAt) throw new RefusedError(`the migration to stack ${o.stack} has not copied the data yet: run it with --yes first`);
    if (!record.smokePassedAt) say(`warning: the smoke check has not passed on the new install (npm run smoke -- --stack ${o.stack})`);
    const kept = retainVolumes(ref);
    for (const v of kept) say(`kept: volume ${v.volume} (claim ${v.claim}) is set to Retain, labelled the0.app/migrated-from=${o.namespace}`);
    helmUninstall(ref);
    deleteRecord(ref);
    say(`release ${o.release} uninstalled from ${o.namespace}; its data stays on ${kept.length} volumes (kubectl get pv -l the0.app/migrated-from=${o.namespace}) until you delete them`);
}

function rollback(o: Options): void {
    const ref = releaseRef(o);
    const record = readRecord(ref);
    if (!record || record.stack !== o.stack) throw new RefusedError(`no migration of release ${o.release} to stack ${o.stack} is recorded (ConfigMap ${recordName(ref)} in ${o.namespace}): nothing to roll back`);
    if (record.writers) startWriters(ref, record.writers);
    deleteRecord(ref);
    say(`rolled back: the release's writers run again (${Object.entries(record.writers?.deployments ?? {}).map(([d, n]) => `${d}: ${n}`).join(", ") || "none had been stopped"}); stack ${o.stack} keeps what it holds (pulumi destroy --stack ${o.stack} removes it; a new migration needs an empty stack)`);
}

export async function main(argv: string[]): Promise<void> {
    const o = parseArgs(argv);
    if (o.finish || o.rollback) {
        if (!o.yes) {
            say(`dry run: --${o.finish ? "finish" : "rollback"} ${o.finish ? "keeps the release's volumes and uninstalls it" : "starts the release's writers again"}; run again with --yes`);
            return;
        }
        return o.finish ? finish(o) : rollback(o);
    }
    const release = readRelease(o);
    const plan = planMigration(o, release);
    for (const line of describePlan(o, plan)) console.log(line);
    if (!o.yes) {
        const record = readRecord(releaseRef(o));
        if (record) say(`a migration to stack ${record.stack} is recorded: ${record.restoredAt ? "data copied" : record.stoppedAt ? "writers stopped, copy not finished" : record.deployed ? "deployed" : "config written"}`);
        for (const line of stepLines(o)) console.log(line);
        console.log("dry run: nothing written; run again with --yes to migrate");
        return;
    }
    await migrate(o, release, plan);
}
