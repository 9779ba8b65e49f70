// PostgreSQL as a CloudNativePG Cluster (postgres.mode cloudnative-pg). We declare the Cluster; the
// operator (installed by the cluster-addons project) creates and runs everything else: an initdb Job,
// one pod and volume per instance with streaming replicas, failover, the -rw/-ro/-r Services, the
// Secret with the0's connection string, a PodDisruptionBudget, and, with backups on, the WAL archive
// and scheduled base backups in the stack's backup target (point-in-time recovery).
//
// The operator's pods already meet PSA restricted (non-root uid 26, no privilege escalation, all
// capabilities dropped, seccomp RuntimeDefault, read-only root filesystem); their service-account
// token is needed: the instance manager in each pod reads and reports its Cluster.
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import * as random from "@pulumi/random";
import { DeploymentPlan } from "../plan/plan";
import { PostgresClusterPlan } from "../plan/postgresCluster";
import { fullName, objectMeta, selectorLabels, PART_OF } from "../k8s/meta";

export const CNPG_API_VERSION = "postgresql.cnpg.io/v1";
/** The pg_hba lines the Cluster adds to the operator's: no client gets in over TCP without TLS. */
export const CNPG_PG_HBA = ["hostnossl all all all reject"] as const;

/**
 * The Cluster's spec, from the plan: every field a choice of ours, the rest the operator's defaults.
 * `archiveServer` names this Cluster's folder in the WAL archive (see PostgresCluster).
 */
export function clusterSpec(plan: DeploymentPlan, pgc: PostgresClusterPlan, archiveServer: pulumi.Input<string>): Record<string, unknown> {
    const cfg = plan.config;
    const pg = cfg.postgres;
    return {
        instances: pgc.instances,
        imageName: pg.image,
        imagePullPolicy: cfg.imagePullPolicy,
        // Our selector labels on every pod, Service and volume the operator makes: the NetworkPolicies and
        // the PodMonitor select them like our own pods (cnpg.io/cluster would do too, but one rule for all).
        inheritedMetadata: { labels: { ...selectorLabels(cfg, "postgres"), "app.kubernetes.io/part-of": PART_OF } },
        bootstrap: {
            // the0's database and role; the operator generates the password into <cluster>-app.
            initdb: { database: pg.database, owner: pg.user, dataChecksums: true },
        },
        // the0 needs no superuser: no postgres password exists to leak.
        enableSuperuserAccess: false,
        storage: {
            size: pg.storageSize,
            ...(pg.storageClass !== "" ? { storageClass: pg.storageClass } : {}),
        },
        resources: {
            requests: { cpu: pg.resources.requests.cpu, memory: pg.resources.requests.memory },
            limits: { cpu: pg.resources.limits.cpu, memory: pg.resources.limits.memory },
        },
        // One instance per node when the nodes allow it; a one-node cluster still schedules them all.
        affinity: { enablePodAntiAffinity: true, topologyKey: "kubernetes.io/hostname", podAntiAffinityType: "preferred" },
        // A drain takes at most one replica at a time, and never the primary without a switchover first.
        enablePDB: pgc.instances > 1,
        // Updates roll the replicas first, then switch the primary over to an updated replica (no restart in place).
        primaryUpdateStrategy: "unsupervised",
        primaryUpdateMethod: pgc.instances > 1 ? "switchover" : "restart",
        seccompProfile: { type: "RuntimeDefault" },
        // TLS required for every client over TCP: the operator's own rules (the instance manager's socket, streaming
        // replication by certificate) come before these, and its default `host all all all scram-sha-256` after.
        postgresql: { pg_hba: [...CNPG_PG_HBA] },
        ...(pgc.archive ? { backup: backupSpec(pgc.archive, archiveServer) } : {}),
    };
}

/** WAL archive and base backups through the operator's Barman Cloud integration, compressed, kept for the retention window. */
function backupSpec(archive: NonNullable<PostgresClusterPlan["archive"]>, serverName: pulumi.Input<string>): Record<string, unknown> {
    return {
        retentionPolicy: archive.retentionPolicy,
        barmanObjectStore: {
            destinationPath: archive.destinationPath,
            serverName,
            endpointURL: archive.endpointUrl,
            s3Credentials: {
                accessKeyId: { name: archive.accessKey.name, key: archive.accessKey.key },
                secretAccessKey: { name: archive.secretKey.name, key: archive.secretKey.key },
            },
            wal: { compression: "gzip" },
            data: { compression: "gzip" },
        },
    };
}

export class PostgresCluster extends pulumi.ComponentResource {
    readonly cluster: k8s.apiextensions.CustomResource;
    readonly scheduledBackup?: k8s.apiextensions.CustomResource;

    constructor(name: string, args: { plan: DeploymentPlan; postgresCluster: PostgresClusterPlan }, opts?: pulumi.ComponentResourceOptions) {
        super("the0:data:PostgresCluster", name, {}, opts);
        const { plan, postgresCluster: pgc } = args;
        const cfg = plan.config;
        // A new Cluster refuses to archive into a folder that already holds WAL (its initdb leaves a marker that the
        // archiver checks), so each incarnation of the Cluster gets a folder of its own: <cluster>-<id>. The id lives
        // in the stack's state: stable across updates, new after a destroy (the old folder stays for recovery).
        const archiveId = pgc.archive ? new random.RandomId(`${name}-archive-id`, { byteLength: 4 }, { parent: this }) : undefined;
        const archiveServer = archiveId ? pulumi.interpolate`${pgc.name}-${archiveId.hex}` : pgc.name;
        // The operator deletes the instances' volumes with the Cluster: a stack that keeps its data keeps the Cluster.
        this.cluster = new k8s.apiextensions.CustomResource(`${name}-cluster`, {
            apiVersion: CNPG_API_VERSION,
            kind: "Cluster",
            metadata: objectMeta(cfg, "postgres", pgc.name),
            spec: clusterSpec(plan, pgc, archiveServer),
        }, { parent: this, retainOnDelete: cfg.protectDataVolumes });

        if (pgc.archive) {
            this.scheduledBackup = new k8s.apiextensions.CustomResource(`${name}-scheduled-backup`, {
                apiVersion: CNPG_API_VERSION,
                kind: "ScheduledBackup",
                metadata: objectMeta(cfg, "postgres", fullName(cfg, "postgres-daily")),
                spec: {
                    schedule: pgc.archive.schedule,
                    cluster: { name: pgc.name },
                    method: "barmanObjectStore",
                    // A base backup right away: point-in-time recovery needs one to replay the WAL from.
                    immediate: true,
                    // Backups belong to the ScheduledBackup: deleting the Cluster alone keeps them listed.
                    backupOwnerReference: "self",
                },
            }, { parent: this, dependsOn: [this.cluster] });
        }
        this.registerOutputs({ cluster: pgc.name, rwService: pgc.rwService, appSecret: pgc.appSecret });
    }
}
