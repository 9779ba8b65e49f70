// The deployment plan: every fact more than one tier needs, resolved once from the validated config
// and frozen. Tiers read the plan and never each other; the validation rules ask the same facts
// (config/facts.ts) while the config is checked.
import { CustomKind, customKinds } from "./customKinds";
import { databaseCredentials, Credentials, generatedCredentials } from "../config/credentials";
import { inClusterStores, natsClustered, objectStorageDistributed, measuredStores, replicatedApps } from "../config/facts";
import { deepFreeze } from "../config/resolve";
import { PlatformConfig } from "../config/types";
import { SecretConfigKey } from "../config/secretRegistry";
import { AppServiceKey } from "../model/basics";
import { DataServiceKey } from "../model/dataServices";
import { METRICS_SOURCES, MetricsSource } from "../model/metricsSources";
import { BackupPlan, backupPlan } from "./backups";
import { dataEndpoints, DataEndpoints, Placement, placements } from "./endpoints";
import { PostgresClusterPlan, postgresClusterPlan } from "./postgresCluster";

export interface DeploymentPlan {
    /** The validated stack config the facts come from. */
    readonly config: PlatformConfig;
    /** Where each data service is, and whether the stack has it at all. */
    readonly stores: Readonly<Record<DataServiceKey, Placement>>;
    /** The data services this stack runs as StatefulSets of its own, NATS included. */
    readonly inClusterStores: readonly DataServiceKey[];
    /** Host and port each of the0's clients is given for each data service. */
    readonly endpoints: DataEndpoints;
    /** NATS in the cluster with more than one peer. */
    readonly natsClustered: boolean;
    /** MinIO in distributed mode. */
    readonly objectStorageDistributed: boolean;
    /** App services that are on and run more than one pod. */
    readonly replicatedApps: readonly AppServiceKey[];
    /** What Prometheus scrapes (none unless monitoring is on). */
    readonly measured: readonly MetricsSource[];
    /** The custom kinds the stack creates, each needing its CRD in the cluster. */
    readonly customKinds: readonly CustomKind[];
    /** Where backups go and what they cover; undefined when backups are off. */
    readonly backups?: BackupPlan;
    /** PostgreSQL as a CloudNativePG Cluster (postgres.mode cloudnative-pg); undefined otherwise. */
    readonly postgresCluster?: PostgresClusterPlan;
    /** The secret keys generated because nobody set them, and how each database's credentials arrive. */
    readonly credentials: {
        readonly generated: readonly SecretConfigKey[];
        readonly postgres: Credentials;
        readonly mongo: Credentials;
    };
}

export function resolvePlan(cfg: PlatformConfig): DeploymentPlan {
    const stores = placements(cfg);
    const measured = measuredStores(cfg).map((k) => METRICS_SOURCES[k]);
    const backups = backupPlan(cfg);
    return deepFreeze({
        config: cfg,
        stores,
        inClusterStores: inClusterStores(cfg),
        endpoints: dataEndpoints(cfg, stores),
        natsClustered: natsClustered(cfg),
        objectStorageDistributed: objectStorageDistributed(cfg),
        replicatedApps: replicatedApps(cfg),
        measured,
        customKinds: customKinds(cfg, measured.length),
        backups,
        postgresCluster: postgresClusterPlan(cfg, backups?.target),
        credentials: {
            generated: generatedCredentials(cfg),
            postgres: databaseCredentials(cfg, "postgres"),
            mongo: databaseCredentials(cfg, "mongo"),
        },
    });
}

/** Whether the plan measures a store. */
export function isMeasured(plan: DeploymentPlan, key: MetricsSource["key"]): boolean {
    return plan.measured.some((s) => s.key === key);
}
