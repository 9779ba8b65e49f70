// The facts every part of the program shares, as pure functions of the config: whether a store runs
// in the cluster, whether NATS is clustered, what is measured and backed up. The validation rules
// ask them while the config is checked; resolvePlan (components/plan) asks them once for the tiers.
// The mode words are read here and nowhere else.
import { AppServiceKey } from "../model/basics";
import { BACKUP_STORES, BackupStore } from "../model/backupStores";
import { DATA_SERVICES, DataServiceKey } from "../model/dataServices";
import { METRICS_KEYS, MetricsKey } from "../model/metricsSources";
import { AppServiceSettings, PlatformConfig } from "./types";

/** Part of this stack at all (Redis is optional). */
export function storeEnabled(cfg: PlatformConfig, key: DataServiceKey): boolean {
    return key !== "redis" || cfg.redis.enabled;
}

/** Configured as a StatefulSet of ours rather than a server the stack only connects to. */
export function storeConfiguredInCluster(cfg: PlatformConfig, key: DataServiceKey): boolean {
    return key === "objectStorage" ? cfg.objectStorage.mode !== "external" : cfg[key].mode === "inCluster";
}

/** PostgreSQL as a CloudNativePG Cluster: the operator runs its pods, backups and failover. */
export function postgresOperated(cfg: PlatformConfig): boolean {
    return cfg.postgres.mode === "cloudnative-pg";
}

/** A data service this stack runs itself. */
export function runsInCluster(cfg: PlatformConfig, key: DataServiceKey): boolean {
    return storeEnabled(cfg, key) && storeConfiguredInCluster(cfg, key);
}

/** The data services this stack runs itself, in the registry's order. */
export function inClusterStores(cfg: PlatformConfig): DataServiceKey[] {
    return DATA_SERVICES.filter((k) => runsInCluster(cfg, k));
}

/** NATS in the cluster with peers: routes between them, quorum alerts, a disruption budget. */
export function natsClustered(cfg: PlatformConfig): boolean {
    return runsInCluster(cfg, "nats") && cfg.nats.replicas > 1;
}

/** MinIO in distributed mode: peers talk to each other and a disruption budget guards quorum. */
export function objectStorageDistributed(cfg: PlatformConfig): boolean {
    return cfg.objectStorage.mode === "distributed";
}

/** More than one pod at the least (the autoscaler's floor when it is on). */
export function isReplicated(settings: AppServiceSettings): boolean {
    return (settings.autoscaling.enabled ? settings.autoscaling.minReplicas : settings.replicas) > 1;
}

/** App services that are on and run more than one pod. */
export function replicatedApps(cfg: PlatformConfig): AppServiceKey[] {
    return (Object.keys(cfg.apps) as AppServiceKey[]).filter((k) => cfg.apps[k].enabled && isReplicated(cfg.apps[k]));
}

/** The stores Prometheus scrapes: monitoring on, the store in the cluster, its exporter switched on. */
export function measuredStores(cfg: PlatformConfig): MetricsKey[] {
    if (!cfg.monitoring.enabled) return [];
    // A CloudNativePG instance serves its own metrics; monitoring.exporters.postgres still switches them off.
    return METRICS_KEYS.filter((k) => cfg.monitoring.exporters[k] && (runsInCluster(cfg, k) || (k === "postgres" && postgresOperated(cfg))));
}

/** The stores this stack backs up: the in-cluster ones, when backups are on. */
export function backedUpStores(cfg: PlatformConfig): BackupStore[] {
    if (!cfg.backups.enabled) return [];
    return BACKUP_STORES.filter((store) => runsInCluster(cfg, store));
}

/** Stores outside the cluster: their provider backs them up, not this program. */
export function externalStores(cfg: PlatformConfig): BackupStore[] {
    if (!cfg.backups.enabled) return [];
    return BACKUP_STORES.filter((store) => !runsInCluster(cfg, store) && !(store === "postgres" && postgresOperated(cfg)));
}

/** PostgreSQL under CloudNativePG with backups on: the operator archives WAL and takes base backups to the target. */
export function postgresArchived(cfg: PlatformConfig): boolean {
    return cfg.backups.enabled && postgresOperated(cfg);
}
