// Scheduled backups of the in-cluster stores: a CronJob per store (jobs.ts), their ServiceAccount,
// and the Secret with an S3 target's keys. External stores are their provider's to back up.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { SecretInputs } from "../config/load";
import { labels, objectMeta } from "../k8s/meta";
import { BACKUP_STORE_REGISTRY, BackupStore } from "../model/backupStores";
import { backupServiceAccountName } from "../plan/backups";
import { DeploymentPlan } from "../plan/plan";
import { backupPod } from "./jobs";

export interface BackupsArgs {
    plan: DeploymentPlan;
    /** backupAccessKey and backupSecretKey, for an S3 target without an existing Secret. */
    secrets: SecretInputs;
}

/** What the stack reports about its backups (no credentials). */
export interface BackupsSummary {
    schedule: string;
    target: string;
    retention: string;
    stores: BackupStore[];
    /** Stores outside the cluster, and why they are not here. */
    notBackedUp: Record<string, string>;
    /** How to see the last runs. */
    lastRuns: string;
}

/** A run missed by more than an hour (the controller was down) is skipped, not started late. */
const STARTING_DEADLINE_SECONDS = 3600;

export class Backups extends pulumi.ComponentResource {
    readonly cronJobs: Partial<Record<BackupStore, k8s.batch.v1.CronJob>> = {};
    readonly serviceAccount: k8s.core.v1.ServiceAccount;
    readonly targetSecret?: k8s.core.v1.Secret;
    readonly summary: BackupsSummary;

    constructor(name: string, args: BackupsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("the0:backup:Backups", name, {}, opts);
        const { plan } = args;
        const cfg = plan.config;
        const b = cfg.backups;
        if (!plan.backups) throw new Error("Backups is created only for a stack with backups on");
        const { target, stores, externalStores, ownTargetSecret } = plan.backups;
        const child = { parent: this };

        this.serviceAccount = new k8s.core.v1.ServiceAccount(`${name}-sa`, {
            metadata: objectMeta(cfg, "backup", backupServiceAccountName(cfg)),
            automountServiceAccountToken: false,
        }, child);

        if (ownTargetSecret) {
            const { backupAccessKey, backupSecretKey } = args.secrets;
            // Validation names both keys when either is missing; this is the program's own guard.
            if (!backupAccessKey || !backupSecretKey) throw new Error("backupAccessKey and backupSecretKey are required for an s3 backup target");
            this.targetSecret = new k8s.core.v1.Secret(`${name}-target`, {
                metadata: objectMeta(cfg, "backup", ownTargetSecret),
                type: "Opaque",
                stringData: pulumi.secret(pulumi.all({ "access-key": backupAccessKey, "secret-key": backupSecretKey })),
            }, child);
        }
        const afterSecret = { ...child, dependsOn: this.targetSecret ? [this.targetSecret, this.serviceAccount] : [this.serviceAccount] };

        for (const { store, jobName } of stores) {
            const component = BACKUP_STORE_REGISTRY[store].component;
            this.cronJobs[store] = new k8s.batch.v1.CronJob(`${name}-${store}`, {
                metadata: objectMeta(cfg, component, jobName),
                spec: {
                    schedule: b.schedule,
                    timeZone: "Etc/UTC",
                    concurrencyPolicy: "Forbid",
                    startingDeadlineSeconds: STARTING_DEADLINE_SECONDS,
                    successfulJobsHistoryLimit: 3,
                    failedJobsHistoryLimit: 3,
                    jobTemplate: {
                        metadata: { labels: labels(cfg, component) },
                        spec: {
                            // A dump that fails twice more is a failure to look at, not to repeat all night.
                            backoffLimit: 2,
                            activeDeadlineSeconds: b.deadlineSeconds,
                            template: backupPod(plan, store),
                        },
                    },
                },
            }, afterSecret);
        }

        const notBackedUp: Record<string, string> = {};
        for (const store of externalStores) notBackedUp[store] = "external: back it up with its provider";
        if (plan.postgresCluster?.archive) notBackedUp.postgres = `CloudNativePG archives it (WAL and base backups) to ${plan.postgresCluster.archive.destinationPath}/${plan.postgresCluster.name}-<id>/, not these jobs`;
        this.summary = {
            schedule: `${b.schedule} (UTC)`,
            target: target.display,
            retention: [b.retention.count > 0 ? `newest ${b.retention.count}` : "", b.retention.maxAgeDays > 0 ? `none older than ${b.retention.maxAgeDays} days` : ""].filter((s) => s).join(", "),
            stores: stores.map((s) => s.store),
            notBackedUp,
            lastRuns: `kubectl -n ${cfg.kubernetes.namespace} get jobs -l 'app.kubernetes.io/instance=${cfg.instanceName},app.kubernetes.io/component in (${stores.map((s) => BACKUP_STORE_REGISTRY[s.store].component).join(",")})' --sort-by=.status.startTime`,
        };
        this.registerOutputs({ schedule: this.summary.schedule, target: this.summary.target });
    }
}
