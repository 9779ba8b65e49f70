// PostgreSQL as a CloudNativePG Cluster (postgres.mode cloudnative-pg): what the operator names after
// the Cluster, decided once for the data tier, the app wiring, the network graph, monitoring and the
// tools. The names follow CloudNativePG 1.30 (pkg/specs, api/v1): the operator creates them, not us.
import { postgresArchived, postgresOperated } from "../config/facts";
import { PlatformConfig } from "../config/types";
import { fullName } from "../k8s/meta";
import { SecretRef } from "../k8s/secretRefs";
import { BackupTarget } from "./backups";

/** The label the operator puts on every pod of a Cluster (instances and its initdb and join Jobs' pods). */
export const CNPG_CLUSTER_LABEL = "cnpg.io/cluster";
/** Instances (not Jobs) carry cnpg.io/podRole=instance. */
export const CNPG_POD_ROLE_LABEL = "cnpg.io/podRole";
/** An instance's ports (pkg/specs): PostgreSQL, its metrics exporter, its instance manager's status endpoint. */
export const CNPG_PORTS = { postgres: 5432, metrics: 9187, status: 8000 } as const;
/** The operator's pods, as its chart and release manifests label them. */
export const CNPG_OPERATOR_LABELS = { "app.kubernetes.io/name": "cloudnative-pg" } as const;

const HOUR = 3600;
const DAY = 24 * HOUR;

/**
 * The longest time a cron schedule may leave between two runs, by its coarsest restricted field (an upper
 * bound: "17 2 * * *" is a day, "0 3 * * 0" a week, "0 3 1 * *" a month). Descriptors and @every as the
 * operator's scheduler reads them.
 */
export function scheduleGapSeconds(schedule: string): number {
    const s = schedule.trim();
    const descriptors: Record<string, number> = { "@hourly": HOUR, "@daily": DAY, "@midnight": DAY, "@weekly": 7 * DAY, "@monthly": 31 * DAY, "@yearly": 366 * DAY, "@annually": 366 * DAY };
    if (s in descriptors) return descriptors[s];
    const every = /^@every (\d+)(s|m|h)$/.exec(s);
    if (every) return Number(every[1]) * { s: 1, m: 60, h: HOUR }[every[2] as "s" | "m" | "h"];
    const [minute, hour, dom, month, dow] = s.split(/\s+/);
    if (month !== "*") return 366 * DAY;
    if (dom !== "*") return 31 * DAY;
    if (dow !== "*") return 7 * DAY;
    if (hour !== "*" || minute === undefined) return DAY;
    return HOUR;
}

export interface PostgresClusterPlan {
    /** The Cluster's name; the operator names its Services, Secrets, pods and volumes after it. */
    name: string;
    instances: number;
    /** The Service that always points at the primary: where the0 writes. */
    rwService: string;
    /** The Secret the operator writes for the0's role: username, password, dbname, host, port, uri (postgresql://user:pw@<rw>.<ns>:5432/db). */
    appSecret: string;
    /** the0's DATABASE_URL: the app Secret's uri, with TLS required (every instance serves TLS with the operator's CA). */
    databaseUrl: SecretRef & { query: string };
    operatorNamespace: string;
    /** WAL archive and base backups (backups.enabled): where, with the target's keys. */
    archive?: {
        destinationPath: string; endpointUrl: string; accessKey: SecretRef; secretKey: SecretRef; retentionPolicy: string; schedule: string;
        /** Twice the longest gap the schedule allows: a base backup older than this is late. */
        lateAfterSeconds: number;
    };
}

/**
 * CloudNativePG keeps backups by age (a recovery window), not by count. A count of N with N days of
 * age unset keeps N days: the schedule is daily by default.
 */
export function retentionPolicy(cfg: PlatformConfig): string {
    const r = cfg.backups.retention;
    return `${r.maxAgeDays > 0 ? r.maxAgeDays : r.count}d`;
}

/** The operator's scheduler reads six fields, seconds first; ours are five (descriptors such as @daily pass as they are). */
export function cnpgSchedule(schedule: string): string {
    return schedule.trim().startsWith("@") ? schedule.trim() : `0 ${schedule.trim()}`;
}

/** The Secret with only the in-cluster object storage's keys, for the Cluster's WAL archive. */
export function archiveSecretName(cfg: PlatformConfig): string {
    return fullName(cfg, "postgres-archive");
}

export function postgresClusterPlan(cfg: PlatformConfig, target: BackupTarget | undefined): PostgresClusterPlan | undefined {
    if (!postgresOperated(cfg)) return undefined;
    const name = fullName(cfg, "postgres");
    const appSecret = `${name}-app`;
    const archive = postgresArchived(cfg) && target
        ? {
            // The operator adds <serverName>/ under it (components/data/postgresCluster.ts: <cluster>-<id>), with base/ and wals/.
            destinationPath: `s3://${target.basePath}/postgres`,
            endpointUrl: target.url,
            // The operator lets the instances read the Secret these are in: with the in-cluster target, a Secret of
            // their own holding only the object storage's keys (components/secrets.ts), not the app Secret.
            accessKey: target.inCluster ? { name: archiveSecretName(cfg), key: "access-key" } : target.accessKey,
            secretKey: target.inCluster ? { name: archiveSecretName(cfg), key: "secret-key" } : target.secretKey,
            retentionPolicy: retentionPolicy(cfg),
            schedule: cnpgSchedule(cfg.backups.schedule),
            lateAfterSeconds: 2 * scheduleGapSeconds(cfg.backups.schedule),
        }
        : undefined;
    return {
        name,
        instances: cfg.postgres.cloudnativePg.instances,
        rwService: `${name}-rw`,
        appSecret,
        databaseUrl: { name: appSecret, key: "uri", query: "sslmode=require" },
        operatorNamespace: cfg.postgres.cloudnativePg.operatorNamespace,
        archive,
    };
}
