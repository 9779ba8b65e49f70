// What the target cluster serves and its namespace holds decide whether a run may go on, before
// anything is registered (index.ts; in preview and in up alike): the custom kinds the stack creates
// (customKindsServed.ts), a switch of postgres.mode on existing data (postgresMode.ts), objects this
// stack would take over (foreignObjects.ts), then data stores whose image would cross a major version
// on their data (storeMajors.ts). A namespace that does not
// exist is a first deploy. When the cluster cannot be read the run goes on with a warning: the
// provider, which needs the same access, reports it when it connects.
import * as pulumi from "@pulumi/pulumi";
import { DeploymentPlan } from "../plan/plan";
import { ClusterUnreadable, LiveCluster } from "./cluster";
import { MissingCustomKindsError, missingCustomKinds } from "./customKindsServed";
import { ForeignObjectsError, foreignObjects, readNamespace } from "./foreignObjects";
import { MajorUpgradeError, majorChanges, runningStoreImages } from "./storeMajors";
import { PostgresModeSwitchError, postgresModeSwitch, readPostgresHolders } from "./postgresMode";

export async function checkTargetNamespace(plan: DeploymentPlan, cluster: () => LiveCluster): Promise<void> {
    const cfg = plan.config;
    const ns = cfg.kubernetes.namespace;
    try {
        const live = cluster();
        const missing = await missingCustomKinds(plan, live);
        if (missing.length > 0) throw new MissingCustomKindsError(cfg.stack, live.describe, missing);
        // Before the foreign objects: a Cluster's operator-made objects (its ServiceAccount <fn>-postgres) carry
        // names the StatefulSet mode claims, and the mode switch is the cause to report.
        const modeSwitch = postgresModeSwitch(plan, await readPostgresHolders(plan, live));
        if (modeSwitch.length > 0) throw new PostgresModeSwitchError(cfg.stack, modeSwitch);
        const objects = await readNamespace(live, ns);
        if (objects === undefined) return;
        const foreign = foreignObjects(plan, objects);
        if (foreign.length > 0) throw new ForeignObjectsError(cfg.stack, ns, live.describe, foreign);
        const majors = majorChanges(plan, await runningStoreImages(plan, live));
        if (majors.length > 0) throw new MajorUpgradeError(cfg.stack, majors);
    } catch (e) {
        if (!(e instanceof ClusterUnreadable)) throw e;
        await pulumi.log.warn(`could not check namespace "${ns}" before deploying (custom kinds it creates, objects this stack did not create, data stores changing major): ${e.message}`);
    }
}
