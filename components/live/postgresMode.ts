// Switching postgres.mode between our StatefulSet and a CloudNativePG Cluster on a stack that holds
// data is not a config change but a migration: `up` would delete the old server (a Cluster takes its
// instances' volumes with it) and start the new one empty. So before anything is registered, the
// namespace is read for the other mode's server, and a switch on existing data is refused with what
// holds the data and how to move it.
import * as pulumi from "@pulumi/pulumi";
import { fullName } from "../k8s/meta";
import { DATA_SERVICE_REGISTRY } from "../model/dataServices";
import { DeploymentPlan } from "../plan/plan";
import { LiveCluster } from "./cluster";

/** What the namespace holds of PostgreSQL now: our StatefulSet (or the volume a protected destroy kept of it), a CloudNativePG Cluster of the same name, or neither. */
export interface PostgresHolders {
    statefulSet: boolean;
    cluster: boolean;
}

export async function readPostgresHolders(plan: DeploymentPlan, live: LiveCluster): Promise<PostgresHolders> {
    const cfg = plan.config;
    const ns = cfg.kubernetes.namespace;
    const name = fullName(cfg, DATA_SERVICE_REGISTRY.postgres.component);
    // The StatefulSet, or its data volume alone: a destroy with protectDataVolumes keeps the claim and the data in it.
    const statefulSet = (await live.get(`/apis/apps/v1/namespaces/${ns}/statefulsets/${name}`)) !== undefined
        || (await live.get(`/api/v1/namespaces/${ns}/persistentvolumeclaims/data-${name}-0`)) !== undefined;
    // Without CloudNativePG's CRD the collection does not exist: no Cluster either.
    const cluster = (await live.get(`/apis/postgresql.cnpg.io/v1/namespaces/${ns}/clusters/${name}`)) !== undefined;
    return { statefulSet, cluster };
}

/** The refusal's lines, empty when the stack's mode matches what holds the data (or nothing does). */
export function postgresModeSwitch(plan: DeploymentPlan, now: PostgresHolders): string[] {
    const cfg = plan.config;
    const name = fullName(cfg, DATA_SERVICE_REGISTRY.postgres.component);
    const operated = plan.postgresCluster !== undefined;
    if (operated && now.statefulSet) {
        return [`postgres.mode = "cloudnative-pg", but StatefulSet ${name} (or its volume data-${name}-0) holds the0's PostgreSQL data: \`up\` would start an empty CloudNativePG Cluster beside it (and delete the StatefulSet).`];
    }
    if (!operated && now.cluster) {
        return [`postgres.mode = "${cfg.postgres.mode}", but the CloudNativePG Cluster ${name} holds the0's PostgreSQL data: \`up\` would delete it, and the operator deletes its instances' volumes with it.`];
    }
    return [];
}

/** Stops the run before anything is registered. */
export class PostgresModeSwitchError extends pulumi.RunError {
    constructor(stack: string, lines: string[]) {
        super([
            `Stack "${stack}" would replace the server that holds its PostgreSQL data; nothing was changed:`,
            ...lines.map((l) => `  - ${l}`),
            "Set postgres.mode back to what runs, or move the data first: docs/kubernetes-deployment.md, \"PostgreSQL under CloudNativePG\", says how (a dump restored into the new server, with the0 stopped).",
        ].join("\n"));
        this.name = "PostgresModeSwitchError";
    }
}
