// The alerts, as data: what each one watches, when it fires, and what the person paged should do.
// Rendered into a PrometheusRule (monitoring.ts) and, for the tests, into a rules file that
// `promtool check rules` and `promtool test rules` take (tests/monitoring/alerts.test.yaml).
// Metric names are the exporters' own, checked against the real ones in the contract suite.
import { fullName } from "../k8s/meta";
import { CATALOG } from "../model/catalog";
import { DeploymentPlan, isMeasured } from "../plan/plan";
import { PostgresClusterPlan } from "../plan/postgresCluster";

export type Severity = "critical" | "warning";

export interface AlertRule {
    alert: string;
    expr: string;
    /** How long the condition must hold. */
    for: string;
    severity: Severity;
    summary: string;
    /** What to check and do: the runbook, in the alert itself. */
    runbook: string;
}

/** Volume fill levels that page: a warning with time to act, and a critical one. */
export const VOLUME_THRESHOLDS = { warning: 0.8, critical: 0.9 } as const;
/** JetStream storage or memory use, of its configured limit, that warns. */
export const JETSTREAM_THRESHOLD = 0.8;
export const CERTIFICATE_DAYS = 14;

export function alertRules(plan: DeploymentPlan): AlertRule[] {
    const cfg = plan.config;
    const ns = `namespace="${cfg.kubernetes.namespace}"`;
    const rules: AlertRule[] = [];

    for (const entry of CATALOG) {
        if (!entry.alertWhenDown || !cfg.apps[entry.key].enabled) continue;
        const deployment = fullName(cfg, entry.component);
        const name = `The0${entry.key[0].toUpperCase()}${entry.key.slice(1)}Unavailable`;
        rules.push({
            alert: name,
            expr: `kube_deployment_status_replicas_available{${ns}, deployment="${deployment}"} < 1`,
            for: "5m",
            severity: entry.alertWhenDown.severity,
            summary: `${deployment} has no available replica`,
            runbook: `${entry.alertWhenDown.impact}. Check \`kubectl -n ${cfg.kubernetes.namespace} get pods -l app.kubernetes.io/component=${entry.component}\` and \`kubectl -n ${cfg.kubernetes.namespace} describe deployment ${deployment}\`: a crash loop (logs with --previous), an image that cannot be pulled, or pods that cannot schedule (events).`,
        });
    }

    rules.push({
        alert: "The0DataServiceDegraded",
        expr: `kube_statefulset_status_replicas_ready{${ns}} < kube_statefulset_replicas{${ns}}`,
        for: "10m",
        severity: "warning",
        summary: "{{ $labels.statefulset }} has {{ $value }} ready replicas, fewer than it should",
        runbook: "A data service runs short: PostgreSQL or MongoDB down means the api or the runtime fails; NATS or MinIO below quorum stops writes. `kubectl -n {{ $labels.namespace }} get pods -l app.kubernetes.io/component` and describe the pod that is not Ready: a full volume (see the volume alerts), a node lost, or a crash loop.",
    });

    rules.push({
        alert: "The0PodCrashLooping",
        expr: `max_over_time(kube_pod_container_status_waiting_reason{${ns}, reason="CrashLoopBackOff"}[5m]) >= 1`,
        for: "10m",
        severity: "warning",
        summary: "{{ $labels.pod }} ({{ $labels.container }}) is crash-looping",
        runbook: "Bot pods are included: a crash-looping bot is usually the bot's own code or config (its logs: `kubectl -n {{ $labels.namespace }} logs {{ $labels.pod }} --previous`); for the0's own pods the same logs say why they exit (a database they cannot reach, a missing secret).",
    });

    for (const [level, threshold] of Object.entries(VOLUME_THRESHOLDS) as Array<[Severity, number]>) {
        rules.push({
            alert: level === "warning" ? "The0VolumeFilling" : "The0VolumeAlmostFull",
            expr: `kubelet_volume_stats_used_bytes{${ns}} / kubelet_volume_stats_capacity_bytes{${ns}} > ${threshold}`,
            for: "5m",
            severity: level,
            summary: `{{ $labels.persistentvolumeclaim }} is {{ $value | humanizePercentage }} full (alert at ${threshold * 100} %)`,
            runbook: "A full volume stops the store that owns it (PostgreSQL and MongoDB refuse writes, NATS JetStream stops accepting messages, MinIO refuses uploads). Grow it: raise <service>.storageSize and `pulumi up` (needs a StorageClass with allowVolumeExpansion), or free space (old bot logs, query results, backtests in object storage).",
        });
    }

    if (isMeasured(plan, "nats")) {
        for (const kind of ["storage", "memory"] as const) {
            rules.push({
                alert: kind === "storage" ? "The0JetStreamStorageNearLimit" : "The0JetStreamMemoryNearLimit",
                expr: `gnatsd_varz_jetstream_stats_${kind}{${ns}} / gnatsd_varz_jetstream_config_max_${kind}{${ns}} > ${JETSTREAM_THRESHOLD}`,
                for: "10m",
                severity: "warning",
                summary: `JetStream ${kind} on {{ $labels.server_id }} is {{ $value | humanizePercentage }} of its limit`,
                runbook: kind === "storage"
                    ? "At the limit JetStream refuses new messages: the0's events (THE0_EVENTS) stop and bots are not started. Raise nats.storageSize (the volume and the limit follow it) and `pulumi up`, or shorten stream retention."
                    : "At the limit the memory streams (THE0_BOT_LOGS, live bot logs) refuse messages. Raise nats.memoryStoreSize and `pulumi up`.",
            });
        }
        if (plan.natsClustered) {
            rules.push({
                alert: "The0JetStreamNoMetaLeader",
                expr: `max by (namespace) (jetstream_server_total_streams{${ns}, meta_leader=""}) >= 0`,
                for: "5m",
                severity: "critical",
                summary: "a NATS server sees no JetStream meta leader",
                runbook: "Without a meta leader no stream or consumer can be created or changed, and the api cannot start. Usually a quorum lost: fewer than two of three servers up (see The0DataServiceDegraded). `kubectl -n {{ $labels.namespace }} logs -l app.kubernetes.io/component=nats -c nats` for route and raft errors; bring the missing servers back before anything else.",
            });
        }
    }

    const pgc = plan.postgresCluster;
    if (pgc && isMeasured(plan, "postgres")) rules.push(...postgresClusterAlerts(plan, pgc));

    if (isMeasured(plan, "objectStorage")) {
        rules.push({
            alert: "The0ObjectStorageNodesOffline",
            expr: `max by (namespace) (minio_cluster_nodes_offline_total{${ns}}) > 0`,
            for: "5m",
            severity: "critical",
            summary: "{{ $value }} MinIO node(s) offline",
            runbook: "Distributed MinIO tolerates losing fewer than half its drives for reads and writes; one more and bot code, logs and state stop. `kubectl -n {{ $labels.namespace }} get pods -l app.kubernetes.io/component=minio` and the missing pod's events; a drained node needs its pod rescheduled (its volume may be zonal).",
        });
    }

    if (cfg.ingress.enabled && cfg.ingress.tlsIssuer !== "none") {
        rules.push({
            alert: "The0CertificateExpiringSoon",
            expr: `(certmanager_certificate_expiration_timestamp_seconds{${ns}} - time()) < ${CERTIFICATE_DAYS} * 86400`,
            for: "1h",
            severity: "warning",
            summary: `certificate {{ $labels.name }} expires in {{ $value | humanizeDuration }} (alert under ${CERTIFICATE_DAYS} days)`,
            runbook: "cert-manager renews 30 days ahead, so this means renewal is failing: `kubectl -n {{ $labels.namespace }} describe certificate {{ $labels.name }}` and `kubectl -n {{ $labels.namespace }} get challenges` (HTTP-01 not reaching the cluster, DNS moved, Let's Encrypt rate limits).",
        });
    }

    const backups = (plan.backups?.stores ?? []).map((s) => s.jobName);
    if (backups.length > 0) {
        const cronjobs = `${ns}, cronjob=~"${backups.join("|")}"`;
        rules.push({
            alert: "The0BackupFailed",
            // The last scheduled run has not succeeded, and its deadline has passed.
            expr: `(kube_cronjob_status_last_schedule_time{${cronjobs}} > on(namespace, cronjob) kube_cronjob_status_last_successful_time{${cronjobs}} or on(namespace, cronjob) (kube_cronjob_status_last_schedule_time{${cronjobs}} unless on(namespace, cronjob) kube_cronjob_status_last_successful_time{${cronjobs}})) and on(namespace, cronjob) (time() - kube_cronjob_status_last_schedule_time{${cronjobs}} > ${cfg.backups.deadlineSeconds})`,
            for: "0m",
            severity: "critical",
            summary: "the last run of {{ $labels.cronjob }} did not succeed",
            runbook: "The newest backup is older than it should be. `kubectl -n {{ $labels.namespace }} get jobs --sort-by=.status.startTime` and `kubectl -n {{ $labels.namespace }} logs job/<the failed job> --all-containers`: keys the target refuses, a bucket that does not exist, a store that is down, or a run longer than backups.deadlineSeconds. Run one by hand once fixed: `kubectl -n {{ $labels.namespace }} create job --from=cronjob/{{ $labels.cronjob }} backup-now`.",
        });
        rules.push({
            alert: "The0BackupStale",
            // No success within two schedule intervals (and the deadline): the schedule stopped, was suspended, or keeps failing.
            expr: `time() - kube_cronjob_status_last_successful_time{${cronjobs}} > 2 * (kube_cronjob_next_schedule_time{${cronjobs}} - kube_cronjob_status_last_schedule_time{${cronjobs}}) + ${cfg.backups.deadlineSeconds}`,
            for: "0m",
            severity: "critical",
            summary: "{{ $labels.cronjob }} has not succeeded for {{ $value | humanizeDuration }}",
            runbook: "The recovery point is now older than the schedule promises. Is the CronJob suspended (`kubectl -n {{ $labels.namespace }} get cronjob {{ $labels.cronjob }}`)? Are its runs failing (The0BackupFailed)? Fix and run one by hand: `kubectl -n {{ $labels.namespace }} create job --from=cronjob/{{ $labels.cronjob }} backup-now`.",
        });
    }

    if (CATALOG.some((e) => cfg.apps[e.key].enabled && cfg.apps[e.key].autoscaling.enabled)) {
        rules.push({
            alert: "The0AutoscalerAtMaximum",
            expr: `kube_horizontalpodautoscaler_status_current_replicas{${ns}} >= kube_horizontalpodautoscaler_spec_max_replicas{${ns}}`,
            for: "15m",
            severity: "warning",
            summary: "{{ $labels.horizontalpodautoscaler }} has run at its maximum of replicas for 15 minutes",
            runbook: "Load exceeds what the autoscaler may add: requests queue and latency grows. Raise apps.<service>.autoscaling.maxReplicas (and check the nodes have room: pending pods mean the cluster is full) and `pulumi up`.",
        });
    }
    return rules;
}

/** The rule groups of a PrometheusRule, or of a rules file for promtool. */
export function ruleGroups(plan: DeploymentPlan) {
    const cfg = plan.config;
    return [{
        name: `the0.${cfg.kubernetes.namespace}`,
        rules: alertRules(plan).map((r) => ({
            alert: r.alert,
            expr: r.expr,
            for: r.for,
            labels: { severity: r.severity, namespace: cfg.kubernetes.namespace },
            annotations: { summary: r.summary, runbook: r.runbook },
        })),
    }];
}

/** Replication lag (seconds) that warns: a failover now would lose this much. */
export const REPLICATION_LAG_SECONDS = 300;

/**
 * A CloudNativePG Cluster, from the metrics each instance serves itself (cnpg_collector_* and the
 * operator's default queries, cnpg_pg_*). The metric names are CloudNativePG 1.30's.
 */
function postgresClusterAlerts(plan: DeploymentPlan, pgc: PostgresClusterPlan): AlertRule[] {
    const ns = `namespace="${plan.config.kubernetes.namespace}"`;
    const pods = `${ns}, pod=~"${pgc.name}-[0-9]+"`;
    const inspect = `\`kubectl -n {{ $labels.namespace }} get cluster.postgresql.cnpg.io ${pgc.name} -o yaml\` (status.phase, conditions) and \`kubectl -n {{ $labels.namespace }} get pods -l cnpg.io/cluster=${pgc.name}\``;
    const rules: AlertRule[] = [{
        alert: "The0PostgresDown",
        // absent(): pods that are gone report nothing, which is no better than reporting down.
        expr: `sum by (namespace) (cnpg_collector_up{${pods}}) < 1 or absent(cnpg_collector_up{${pods}})`,
        for: "5m",
        severity: "critical",
        summary: `no instance of ${pgc.name} serves PostgreSQL (or none is measured)`,
        runbook: `the0's api cannot read or write users, bots or schedules. ${inspect}; the operator's log (namespace ${pgc.operatorNamespace}) says why it cannot bring an instance up: a full volume, a node lost, a failed switchover.`,
    }];
    if (pgc.instances > 1) {
        rules.push({
            alert: "The0PostgresInstancesShort",
            expr: `sum by (namespace) (cnpg_collector_up{${pods}}) < ${pgc.instances}`,
            for: "10m",
            severity: "warning",
            summary: `{{ $value }} of ${pgc.instances} instances of ${pgc.name} serve PostgreSQL`,
            runbook: `A failover now has fewer replicas to promote. ${inspect}: a pod that cannot schedule (anti-affinity on too few nodes), a replica re-cloning after a failover, or a volume that cannot attach.`,
        }, {
            alert: "The0PostgresReplicationLagging",
            expr: `max by (namespace, pod) (cnpg_pg_replication_lag{${pods}}) > ${REPLICATION_LAG_SECONDS}`,
            for: "5m",
            severity: "warning",
            summary: "{{ $labels.pod }} replays WAL {{ $value | humanizeDuration }} behind the primary",
            runbook: `A failover to this replica would lose that much of the0's writes. Look at the replica's disk and CPU (it replays what the primary writes) and at the network between nodes; ${inspect}.`,
        });
    }
    if (pgc.archive) {
        rules.push({
            alert: "The0PostgresWalArchivingFailing",
            expr: `max by (namespace, pod) (cnpg_pg_stat_archiver_last_failed_time{${pods}} - cnpg_pg_stat_archiver_last_archived_time{${pods}}) > 0`,
            for: "15m",
            severity: "critical",
            summary: "{{ $labels.pod }} fails to archive WAL to the backup target",
            runbook: `Point-in-time recovery stops at the last archived segment, and WAL piles up on the primary's volume until it is full. \`kubectl -n {{ $labels.namespace }} logs {{ $labels.pod }} -c postgres | grep -i barman\`: keys the target refuses, a bucket that does not exist, the target unreachable.`,
        }, {
            alert: "The0PostgresBaseBackupLate",
            // Twice the longest gap backups.schedule allows (plan/postgresCluster.ts): one missed run is tolerated, two are not.
            expr: `time() - max by (namespace) (cnpg_collector_last_available_backup_timestamp{${pods}}) > ${pgc.archive.lateAfterSeconds}`,
            for: "1h",
            severity: "warning",
            summary: `the newest base backup of ${pgc.name} is {{ $value | humanizeDuration }} old`,
            runbook: `Recovery replays WAL from the newest base backup: the older it is, the longer a restore takes, and nothing older than the retention window stays. \`kubectl -n {{ $labels.namespace }} get backups.postgresql.cnpg.io -l cnpg.io/cluster=${pgc.name}\` and describe the newest failed one.`,
        });
    }
    return rules;
}
