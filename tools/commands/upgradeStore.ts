// `npm run upgrade-store`: a data store to a new major version, which cannot start on its old data,
// through a dump (the deployment doc's "Major upgrades of a data store", scripted): a backup now with
// the store's own CronJob, the old server and its volume removed, the new image set and deployed on an
// empty volume, then `npm run restore` of exactly that backup. The same refusals and dry-run default
// as restore. Usage: scripts/upgrade-store.sh.
import { execFileSync } from "child_process";
import { PlatformConfig } from "../../components/config/types";
import { fullName } from "../../components/k8s/meta";
import { imageMajor, MAJOR_BOUND_STORES } from "../../components/live/storeMajors";
import { DATA_SERVICE_REGISTRY } from "../../components/model/dataServices";
import { backupJobName } from "../../components/plan/backups";
import { DeploymentPlan, resolvePlan } from "../../components/plan/plan";
import { PROJECT } from "../render/stackFiles";
import { kubectlArgs, loadStackConfig } from "../stack/stackConfig";
import { main as restore } from "./restore";
import { fail, UsageError } from "./usage";
// Scripts catch it from here to exit 2.
export { UsageError };

export type UpgradableStore = "postgres" | "mongo";

export interface Options {
    stack: string;
    store: UpgradableStore;
    to: string;
    yes: boolean;
}

export function parseArgs(argv: string[]): Options {
    const o: Partial<Options> = { yes: false };
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        const value = (): string => argv[++i] ?? fail(`${a} needs a value`);
        if (a === "--stack") o.stack = value();
        else if (a === "--store") {
            const s = value();
            if (s !== "postgres" && s !== "mongo") fail("--store must be postgres or mongo");
            o.store = s;
        } else if (a === "--to") o.to = value();
        else if (a === "--yes") o.yes = true;
        else fail(`unknown argument ${a}`);
    }
    if (!o.stack || !o.store || !o.to) fail("usage: npm run upgrade-store -- --stack <stack> --store <postgres|mongo> --to <image> [--yes]");
    return o as Options;
}

/** The component's objects: StatefulSet <fn>-<component> and its one claim data-<fn>-<component>-0. */
export function storeObjects(cfg: PlatformConfig, store: UpgradableStore): { statefulSet: string; claim: string; backupCronJob: string } {
    const name = fullName(cfg, DATA_SERVICE_REGISTRY[store].component);
    return { statefulSet: name, claim: `data-${name}-0`, backupCronJob: backupJobName(cfg, store) };
}

/** What the upgrade will do, or why it refuses; `running` is the image the store's StatefulSet runs now. */
export function upgradeSteps(plan: DeploymentPlan, o: Options, running: string | undefined): string[] {
    const cfg = plan.config;
    const server = MAJOR_BOUND_STORES[o.store]!.server;
    if (o.store === "postgres" && plan.postgresCluster) {
        fail(`stack ${o.stack} runs PostgreSQL as the CloudNativePG Cluster ${plan.postgresCluster.name}: the operator upgrades the major itself (pg_upgrade in place, offline, to 16 or later). Set postgres.image to CloudNativePG's image of the new major (same OS flavour) and pulumi up; take a base backup first (kubectl cnpg backup ${plan.postgresCluster.name}, or wait for the scheduled one).`);
    }
    if (!plan.inClusterStores.includes(o.store)) fail(`stack ${o.stack} runs no ${server} in the cluster (${o.store}.mode external): upgrade it with its provider`);
    if (!(plan.backups?.stores ?? []).some((s) => s.store === o.store)) fail(`stack ${o.stack} does not back up ${o.store} (backups.enabled): the upgrade carries the data through a backup; turn backups on, pulumi up, then run this again`);
    if (running === undefined) fail(`no ${server} runs for stack ${o.stack} (no StatefulSet ${storeObjects(cfg, o.store).statefulSet}): set ${o.store}.image and pulumi up`);
    const from = imageMajor(o.store, running);
    const to = imageMajor(o.store, o.to);
    if (to === undefined) fail(`--to ${o.to}: its tag must name the ${server} version (as ${cfg[o.store].image} does)`);
    if (from === undefined) fail(`the running image ${running} names no ${server} version: cannot tell which major its data is`);
    if (from === to) fail(`${running} and ${o.to} are both ${server} ${to}: not a major change; set ${o.store}.image and pulumi up`);
    const objects = storeObjects(cfg, o.store);
    return [
        `upgrade-store: stack ${o.stack}, ${server} ${from} (${running}) to ${to} (${o.to}), through a dump:`,
        `  1. back up now: job from cronjob/${objects.backupCronJob}, and wait for it`,
        `  2. remove the old server and its data volume: statefulset ${objects.statefulSet}, pvc ${objects.claim} (the data is in the backup from step 1)`,
        `  3. pulumi config set --path ${o.store}.image ${o.to}; pulumi up (the new major starts on an empty volume)`,
        `  4. npm run restore -- --stack ${o.stack} --store ${o.store} --from <the time step 1 finished> --force --yes (the api and bot-controller stopped meanwhile)`,
        `the0 is down for ${o.store === "postgres" ? "its database" : "its bot runner's store"} from step 2 until step 4 ends.`,
    ];
}

function kubectl(cfg: PlatformConfig, args: string[]): string {
    return execFileSync("kubectl", kubectlArgs(cfg, args), { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
}

function runningImage(cfg: PlatformConfig, store: UpgradableStore): string | undefined {
    try {
        const sts = JSON.parse(kubectl(cfg, ["get", "statefulset", storeObjects(cfg, store).statefulSet, "-o", "json", "--ignore-not-found"]) || "null") as
            { spec: { template: { spec: { containers: Array<{ name: string; image: string }> } } } } | null;
        return sts?.spec.template.spec.containers.find((c) => c.name === DATA_SERVICE_REGISTRY[store].component)?.image;
    } catch {
        return undefined;
    }
}

/** Step 1: a backup Job from the store's CronJob; returns the time it finished (restore's --from picks that backup). */
async function backupNow(cfg: PlatformConfig, store: UpgradableStore): Promise<string> {
    const { backupCronJob } = storeObjects(cfg, store);
    const job = `${backupCronJob}-upgrade-${Date.now().toString(36)}`.slice(0, 63);
    kubectl(cfg, ["create", "job", job, `--from=cronjob/${backupCronJob}`]);
    console.log(`upgrade-store: 1. job ${job} created`);
    const deadline = Date.now() + (cfg.backups.deadlineSeconds + 120) * 1000;
    for (;;) {
        const status = JSON.parse(kubectl(cfg, ["get", "job", job, "-o", "json"])).status ?? {};
        if ((status.succeeded ?? 0) > 0) {
            const done = new Date(status.completionTime ?? Date.now());
            // Backups are named by the second they start; the next second holds it whatever the rounding.
            return new Date(done.getTime() + 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
        }
        if ((status.failed ?? 0) > 0 || Date.now() > deadline) {
            throw new Error(`upgrade-store: the backup job ${job} ${(status.failed ?? 0) > 0 ? "failed" : "timed out"}; nothing else was done (kubectl logs job/${job})`);
        }
        await new Promise((r) => setTimeout(r, 2000));
    }
}

export async function main(argv: string[]): Promise<void> {
    const o = parseArgs(argv);
    const plan = resolvePlan(loadStackConfig(o.stack, (message) => new UsageError(message)));
    const cfg = plan.config;
    for (const line of upgradeSteps(plan, o, runningImage(cfg, o.store))) console.log(line);
    if (!o.yes) {
        console.log("dry run: nothing done; run again with --yes to upgrade");
        return;
    }
    const backupTime = await backupNow(cfg, o.store);
    console.log(`upgrade-store: 1. backed up (restore picks the newest backup at or before ${backupTime})`);
    const objects = storeObjects(cfg, o.store);
    kubectl(cfg, ["delete", "statefulset", objects.statefulSet, "--wait=true"]);
    kubectl(cfg, ["delete", "pvc", objects.claim, "--wait=true", "--ignore-not-found"]);
    console.log(`upgrade-store: 2. statefulset ${objects.statefulSet} and pvc ${objects.claim} removed`);
    execFileSync("pulumi", ["config", "set", "--stack", o.stack, "--path", `${PROJECT}:${o.store}.image`, o.to], { stdio: "inherit" });
    // --refresh: the state still holds the StatefulSet removed in step 2.
    execFileSync("pulumi", ["up", "--yes", "--skip-preview", "--refresh", "--stack", o.stack], { stdio: "inherit" });
    console.log(`upgrade-store: 3. ${o.store}.image = ${o.to}, deployed`);
    // The api may have created empty tables on the new server meanwhile: --force replaces them with the backup.
    await restore(["--stack", o.stack, "--store", o.store, "--from", backupTime, "--force", "--yes"]);
    console.log(`upgrade-store: 4. restored; check the0 with npm run smoke -- --stack ${o.stack}`);
}
