// A data store's new major version cannot start on its old data: PostgreSQL refuses a data
// directory of another major, MongoDB one whose feature compatibility is more than one release
// series behind (or ahead). A Renovate pull request or a config change that moves the image across
// a major would leave the store down after `up`. So before anything is registered, the image each
// in-cluster store runs now (its StatefulSet in the cluster) is compared with the one configured,
// and a change of major on existing data is refused with both versions and the way to upgrade.
import * as pulumi from "@pulumi/pulumi";
import { fullName } from "../k8s/meta";
import { imageTag } from "../model/basics";
import { DATA_SERVICE_REGISTRY, DataServiceKey } from "../model/dataServices";
import { DeploymentPlan } from "../plan/plan";
import { LiveCluster } from "./cluster";

/** The stores whose data files are tied to a major version, and how a major reads off an image tag. */
export const MAJOR_BOUND_STORES: Readonly<Partial<Record<DataServiceKey, { server: string; major: RegExp }>>> = {
    // PostgreSQL 10 and later: the first number is the major ("15.13-alpine" -> 15).
    postgres: { server: "PostgreSQL", major: /^(\d+)(?:[.-]|$)/ },
    // MongoDB: the release series, major.minor ("7.0.28-jammy" -> 7.0); upgrades go one series at a time.
    mongo: { server: "MongoDB", major: /^(\d+\.\d+)(?:[.-]|$)/ },
};

/** The major of an image for a store, or undefined when its tag does not say (a digest alone, `latest`). */
export function imageMajor(store: DataServiceKey, image: string): string | undefined {
    const rule = MAJOR_BOUND_STORES[store];
    const tag = imageTag(image);
    return rule && tag ? rule.major.exec(tag)?.[1] : undefined;
}

interface StatefulSetImages {
    spec?: { template?: { spec?: { containers?: Array<{ name?: string; image?: string }> } } };
}

/** A store whose configured image changes the major of the one running on its data. */
export interface MajorChange {
    store: "postgres" | "mongo";
    /** The configured image. */
    image: string;
    line: string;
}

/** One entry per store whose configured image changes the major of the one running on its data. */
export function majorChanges(plan: DeploymentPlan, running: Partial<Record<DataServiceKey, string>>): MajorChange[] {
    const cfg = plan.config;
    const lines: MajorChange[] = [];
    for (const store of plan.inClusterStores) {
        const rule = MAJOR_BOUND_STORES[store];
        const now = running[store];
        if (!rule || now === undefined || (store !== "postgres" && store !== "mongo")) continue;
        const configured = store === "postgres" ? cfg.postgres.image : cfg.mongo.image;
        const from = imageMajor(store, now);
        const to = imageMajor(store, configured);
        if (from === undefined || to === undefined || from === to) continue;
        lines.push({ store, image: configured, line: `${store}.image = "${configured}": ${rule.server} ${to}, but ${fullName(cfg, DATA_SERVICE_REGISTRY[store].component)} runs ${rule.server} ${from} (${now}) on its data, which ${rule.server} ${to} cannot start on` });
    }
    return lines;
}

/** Stops the run before anything is registered. */
export class MajorUpgradeError extends pulumi.RunError {
    constructor(stack: string, changes: MajorChange[]) {
        super([
            `Stack "${stack}" would move a data store to another major version on its existing data; nothing was changed:`,
            ...changes.map((c) => `  - ${c.line}`),
            "Upgrade it through a dump, which carries the data across the major:",
            ...changes.map((c) => `    npm run upgrade-store -- --stack ${stack} --store ${c.store} --to ${c.image}`),
            `or keep the running major: set the image back, or pin it in the stack (pulumi config set --path <store>.image <image>). The deployment doc's "Major upgrades of a data store" says what the command does.`,
        ].join("\n"));
        this.name = "MajorUpgradeError";
    }
}

/** The image each in-cluster major-bound store runs now: its StatefulSet's container of the same name. */
export async function runningStoreImages(plan: DeploymentPlan, cluster: LiveCluster): Promise<Partial<Record<DataServiceKey, string>>> {
    const cfg = plan.config;
    const out: Partial<Record<DataServiceKey, string>> = {};
    for (const store of plan.inClusterStores) {
        if (!MAJOR_BOUND_STORES[store]) continue;
        const component = DATA_SERVICE_REGISTRY[store].component;
        const sts = (await cluster.get(`/apis/apps/v1/namespaces/${cfg.kubernetes.namespace}/statefulsets/${fullName(cfg, component)}`)) as StatefulSetImages | undefined;
        const image = sts?.spec?.template?.spec?.containers?.find((c) => c.name === component)?.image;
        if (image !== undefined) out[store] = image;
    }
    return out;
}
