// Restores a stack's in-cluster stores from the backups its CronJobs made, as one-shot Jobs built by
// the program's own builders (components/backup/jobs.ts): same images, same hardening, same network
// policy. Writers are stopped first and started again afterwards, whatever happens. Usage: restore.sh.
import { execFileSync, spawnSync } from "child_process";
import { createInterface } from "readline";
import { restoreJob, RestoreRequest } from "../../components/backup/jobs";
import { STAMP_PATTERN } from "../../components/backup/scripts";
import { restoreJobName } from "../../components/plan/backups";
import { DeploymentPlan, resolvePlan } from "../../components/plan/plan";
import { PlatformConfig } from "../../components/config/types";
import { fullName } from "../../components/k8s/meta";
import { BACKUP_STORES, BackupStore } from "../../components/model/backupStores";
import { catalogEntry } from "../../components/model/catalog";
import { kubectlArgs, loadStackConfig } from "../stack/stackConfig";
import { fail, UsageError } from "./usage";
// Scripts catch it from here to exit 2.
export { UsageError };

export interface Options {
    stack: string;
    stores: "all" | BackupStore;
    from: string;
    force: boolean;
    yes: boolean;
}

export function parseArgs(argv: string[]): Options {
    const o: Partial<Options> = { from: "latest", force: false, yes: false };
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        const value = (): string => argv[++i] ?? fail(`${a} needs a value`);
        if (a === "--stack") o.stack = value();
        else if (a === "--store") {
            const s = value();
            if (s !== "all" && !(BACKUP_STORES as readonly string[]).includes(s)) fail(`--store must be one of all, ${BACKUP_STORES.join(", ")}`);
            o.stores = s as Options["stores"];
        } else if (a === "--from") o.from = normaliseFrom(value());
        else if (a === "--force") o.force = true;
        else if (a === "--yes") o.yes = true;
        else fail(`unknown argument ${a}`);
    }
    if (!o.stack || !o.stores) fail("usage: npm run restore -- --stack <stack> --store <all|postgres|mongo|objectStorage> [--from latest|<UTC time>|<backup name>] [--force] [--yes]");
    const from = o.from ?? "latest";
    if (o.stores === "all" && from !== "latest" && !STAMP_PATTERN.test(from)) fail("--store all takes --from latest or a time: a backup's name belongs to one store");
    return o as Options;
}

/** `2026-12-03T02:17:00Z` (or any ISO time) -> `20261203T021700Z`, the form backups are named in. */
export function normaliseFrom(v: string): string {
    if (v === "latest" || STAMP_PATTERN.test(v) || !/^\d{4}-\d{2}-\d{2}T/.test(v)) return v;
    const t = new Date(v);
    if (Number.isNaN(t.getTime())) fail(`--from ${v} is not a time`);
    return t.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}

function kubectl(cfg: PlatformConfig, args: string[], input?: string): string {
    return execFileSync("kubectl", kubectlArgs(cfg, args), { encoding: "utf8", input, stdio: ["pipe", "pipe", "inherit"] });
}

async function confirm(question: string): Promise<boolean> {
    const rl = createInterface({ input: process.stdin, output: process.stdout });
    const answer = await new Promise<string>((resolve) => rl.question(`${question} [y/N] `, resolve));
    rl.close();
    return /^y(es)?$/i.test(answer.trim());
}

/** Deployments that write to the stores: stopped for the restore so that what comes back is consistent. */
function writers(cfg: PlatformConfig): string[] {
    return (["api", "botController"] as const).filter((k) => cfg.apps[k].enabled).map((k) => fullName(cfg, catalogEntry(k).component));
}

function replicasOf(cfg: PlatformConfig, deployment: string): number {
    return Number(kubectl(cfg, ["get", "deployment", deployment, "-o", "jsonpath={.spec.replicas}"]) || "0");
}

/** Creates the restore Job, waits for it to finish, prints its logs; true when it succeeded. */
async function runRestore(plan: DeploymentPlan, store: BackupStore, req: RestoreRequest): Promise<boolean> {
    const cfg = plan.config;
    const name = restoreJobName(cfg, store);
    kubectl(cfg, ["delete", "job", name, "--ignore-not-found", "--wait=true"]);
    kubectl(cfg, ["create", "-f", "-"], JSON.stringify(restoreJob(plan, store, req)));
    console.log(`restore: ${store}: job ${name} created (from ${req.from}${req.force ? ", --force" : ""})`);
    const deadline = Date.now() + (cfg.backups.deadlineSeconds + 120) * 1000;
    for (;;) {
        const status = JSON.parse(kubectl(cfg, ["get", "job", name, "-o", "json"])).status ?? {};
        if ((status.succeeded ?? 0) > 0 || (status.failed ?? 0) > 0 || Date.now() > deadline) {
            const logs = spawnSync("kubectl", kubectlArgs(cfg, ["logs", `job/${name}`, "--all-containers", "--prefix"]), { encoding: "utf8" });
            process.stdout.write(logs.stdout ?? "");
            const ok = (status.succeeded ?? 0) > 0;
            console.log(`restore: ${store}: ${ok ? "done" : (status.failed ?? 0) > 0 ? "FAILED (the logs above say why; exit 3 is a refusal to overwrite data without --force)" : "timed out"}`);
            return ok;
        }
        await new Promise((r) => setTimeout(r, 2000));
    }
}

/**
 * Restores each store from its backup, in order, with the writers stopped once for all of them and
 * started again afterwards whatever happens; false when one failed (the rest are not attempted).
 */
export async function restoreStores(plan: DeploymentPlan, requests: Array<{ store: BackupStore; from: string }>, force: boolean): Promise<boolean> {
    const cfg = plan.config;
    const stop = writers(cfg);
    const replicas = new Map(stop.map((d) => [d, replicasOf(cfg, d)]));
    let ok = true;
    try {
        for (const d of stop) kubectl(cfg, ["scale", "deployment", d, "--replicas=0"]);
        for (const d of stop) kubectl(cfg, ["rollout", "status", "deployment", d, "--timeout=300s"]);
        for (const r of requests) {
            if (!(await runRestore(plan, r.store, { from: r.from, force }))) { ok = false; break; }
        }
    } finally {
        for (const [d, n] of replicas) kubectl(cfg, ["scale", "deployment", d, `--replicas=${Math.max(n, 1)}`]);
        console.log(`restore: ${[...replicas.keys()].join(" and ")} started again`);
    }
    return ok;
}

/**
 * postgres.mode cloudnative-pg: the operator, not a dump, holds PostgreSQL's backups (base backups and the
 * WAL archive), and it recovers into a new Cluster, never over a running one. `--store postgres` and
 * `--store all` (which would restore the other stores to a point PostgreSQL is not at) are refused; the
 * refusal says how to restore the others on their own.
 */
export function cnpgRestoreRefusal(stack: string, cluster: string): string {
    return [
        `stack ${stack} runs PostgreSQL as the CloudNativePG Cluster ${cluster}: its backups are the operator's (base backups and WAL in the backup target), and the operator restores them into a new Cluster, not over this one.`,
        `Recover to a point in time with a Cluster bootstrapped from them (bootstrap.recovery with recoveryTarget.targetTime; docs/kubernetes-deployment.md, "PostgreSQL under CloudNativePG"). This program does not automate that recovery. Restore the other stores one by one, knowing PostgreSQL stays where it is: --store mongo, --store objectStorage.`,
    ].join("\n");
}

/** The stores a request restores, or a UsageError saying why not. */
export function storesToRestore(plan: DeploymentPlan, o: Pick<Options, "stack" | "stores">): BackupStore[] {
    // Before anything else: `--store all` without PostgreSQL would restore the other stores to a point PostgreSQL is not at.
    const pgc = plan.postgresCluster;
    if (pgc && (o.stores === "all" || o.stores === "postgres")) fail(cnpgRestoreRefusal(o.stack, pgc.name));
    const available = (plan.backups?.stores ?? []).map((s) => s.store);
    if (available.length === 0) fail(`stack ${o.stack} backs up nothing (backups.enabled is false, or every store is external)`);
    const stores = o.stores === "all" ? available : [o.stores];
    for (const s of stores) if (!available.includes(s)) fail(`stack ${o.stack} does not back up ${s} (it is external: restore it with its provider)`);
    return stores;
}

/** `npm run restore -- <argv>`: exits 3 when a restore failed. */
export async function main(argv: string[]): Promise<void> {
    const o = parseArgs(argv);
    const plan = resolvePlan(loadStackConfig(o.stack, (message) => new UsageError(message)));
    const cfg = plan.config;
    const stores = storesToRestore(plan, o);

    console.log(`restore: stack ${o.stack}, namespace ${cfg.kubernetes.namespace}: ${stores.join(", ")} from ${o.from}${o.force ? ", replacing what they hold (--force)" : ""}`);
    console.log(`restore: ${writers(cfg).join(" and ")} will be scaled to 0 while it runs, and back afterwards.`);
    if (!o.yes && !(await confirm("Go on?"))) fail("nothing done");
    if (!(await restoreStores(plan, stores.map((store) => ({ store, from: o.from })), o.force))) process.exit(3);
}
