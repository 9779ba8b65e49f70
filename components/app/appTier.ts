// The app tier, built from the catalog: a Deployment (or CronJob) per enabled service, its
// Services, NodePort access, autoscaling, disruption budget and, for the bot-controller, RBAC.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { AppServiceKey } from "../model/basics";
import { AppServiceSettings } from "../config/types";
import { fullName, labels, objectMeta, selectorLabels, serviceMeta } from "../k8s/meta";
import { ContainerArgs, podTemplate } from "../k8s/workload";
import { ensureBucketsContainer } from "./buckets";
import { waitForPostgresContainer } from "./postgresWait";
import { isReplicated } from "../config/facts";
import { DeploymentPlan } from "../plan/plan";
import { SecretRevision } from "../k8s/secretRefs";
import { CATALOG, CatalogEntry, ProbeSpec } from "../model/catalog";
import { argsFor, envFor, secretKeysOf, settingValue, WiringContext } from "./wiring";

function toProbe(p: ProbeSpec): k8s.types.input.core.v1.Probe {
    return {
        ...p.action,
        initialDelaySeconds: p.initialDelaySeconds,
        periodSeconds: p.periodSeconds,
        timeoutSeconds: p.timeoutSeconds,
        failureThreshold: p.failureThreshold,
    };
}

export interface AppServiceArgs {
    entry: CatalogEntry;
    settings: AppServiceSettings;
    ctx: WiringContext;
}

export class AppService extends pulumi.ComponentResource {
    readonly workload: k8s.apps.v1.Deployment | k8s.batch.v1.CronJob;
    readonly service?: k8s.core.v1.Service;
    readonly nodePortService?: k8s.core.v1.Service;
    readonly autoscaler?: k8s.autoscaling.v2.HorizontalPodAutoscaler;
    readonly disruptionBudget?: k8s.policy.v1.PodDisruptionBudget;
    readonly serviceAccount?: k8s.core.v1.ServiceAccount;

    constructor(name: string, args: AppServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("the0:app:AppService", name, {}, opts);
        const { entry, settings, ctx } = args;
        const secrets = ctx.secrets;
        const cfg = ctx.cfg;
        const objName = fullName(cfg, entry.component);
        const meta = objectMeta(cfg, entry.component);
        const selector = selectorLabels(cfg, entry.component);
        const child = { parent: this };

        if (entry.rbac) {
            this.serviceAccount = new k8s.core.v1.ServiceAccount(objName, { metadata: meta, automountServiceAccountToken: false }, child);
            const role = new k8s.rbac.v1.Role(objName, { metadata: meta, rules: entry.rbac }, child);
            new k8s.rbac.v1.RoleBinding(objName, {
                metadata: meta,
                roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: role.metadata.name },
                subjects: [{ kind: "ServiceAccount", name: this.serviceAccount.metadata.name, namespace: cfg.kubernetes.namespace }],
            }, child);
        }

        const container: ContainerArgs = {
            name: entry.component,
            image: settings.image,
            pullPolicy: cfg.imagePullPolicy,
            command: entry.command,
            args: argsFor(ctx, entry),
            env: envFor(ctx, entry),
            ports: entry.ports.map((p) => ({ name: p.name, containerPort: p.containerPort })),
            probes: entry.probes ? { liveness: toProbe(entry.probes.liveness), readiness: toProbe(entry.probes.readiness) } : undefined,
            resources: settings.resources,
            user: entry.user,
            writablePaths: entry.writablePaths,
        };
        const usesOperatedPostgres = ctx.postgresCluster !== undefined && entry.dependsOn.some((d) => "data" in d && d.data === "postgres");
        const initContainers = [
            ...(usesOperatedPostgres ? [waitForPostgresContainer(cfg, ctx.postgresCluster!)] : []),
            ...(entry.ensureBuckets ? [ensureBucketsContainer(cfg, ctx.endpoints, entry.ensureBuckets)] : []),
        ];
        // A CronJob's pods read the Secret when each run starts: there is nothing to roll.
        const annotations = entry.workload === "CronJob" ? {} : secrets.rollOnWrite(secretKeysOf(ctx, entry));
        const autoscaled = settings.autoscaling.enabled;
        const replicated = isReplicated(settings);

        if (entry.workload === "CronJob") {
            const cron = entry.cron!;
            this.workload = new k8s.batch.v1.CronJob(objName, {
                metadata: meta,
                spec: {
                    schedule: settingValue(cfg, cron.schedule.setting),
                    concurrencyPolicy: cron.concurrencyPolicy,
                    successfulJobsHistoryLimit: cron.successfulJobsHistoryLimit,
                    failedJobsHistoryLimit: cron.failedJobsHistoryLimit,
                    jobTemplate: {
                        metadata: { labels: labels(cfg, entry.component) },
                        spec: {
                            ttlSecondsAfterFinished: cron.ttlSecondsAfterFinished,
                            template: podTemplate(cfg, { component: entry.component, container, initContainers: initContainers.length > 0 ? initContainers : undefined, annotations, restartPolicy: cron.restartPolicy }),
                        },
                    },
                },
            }, child);
        } else {
            this.workload = new k8s.apps.v1.Deployment(objName, {
                metadata: meta,
                spec: {
                    // With an HPA the replica count is the autoscaler's; setting it here would fight it.
                    replicas: autoscaled ? undefined : settings.replicas,
                    selector: { matchLabels: selector },
                    // A singleton must never run twice, not even during a rollout.
                    strategy: entry.singleton ? { type: "Recreate" } : { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: replicated ? "25%" : 0 } },
                    template: podTemplate(cfg, {
                        component: entry.component,
                        container,
                        initContainers: initContainers.length > 0 ? initContainers : undefined,
                        annotations,
                        serviceAccountName: this.serviceAccount?.metadata.name,
                        spread: cfg.ha.spreadAcrossNodes && replicated,
                    }),
                },
            }, child);
        }

        const exposed = entry.ports.filter((p) => p.exposed);
        if (exposed.length > 0) {
            this.service = new k8s.core.v1.Service(objName, {
                metadata: serviceMeta(cfg, entry.component),
                spec: {
                    type: "ClusterIP",
                    selector,
                    ports: exposed.map((p) => ({ name: p.name, port: p.containerPort, targetPort: p.name, protocol: "TCP" })),
                },
            }, child);
        }

        const nodePorts = entry.ports.filter((p) => p.nodePort);
        if (cfg.nodePorts.enabled && nodePorts.length > 0) {
            // the0's `<fn>-<svc>-external` NodePort Services (Minikube access on 30000-30004).
            this.nodePortService = new k8s.core.v1.Service(`${objName}-external`, {
                metadata: serviceMeta(cfg, entry.component, `${objName}-external`),
                spec: {
                    type: "NodePort",
                    selector,
                    ports: nodePorts.map((p) => ({
                        name: p.name,
                        port: p.nodePort!.servicePort,
                        targetPort: p.name,
                        nodePort: cfg.nodePorts[p.nodePort!.key],
                        protocol: "TCP",
                    })),
                },
            }, child);
        }

        if (autoscaled && this.workload instanceof k8s.apps.v1.Deployment) {
            this.autoscaler = new k8s.autoscaling.v2.HorizontalPodAutoscaler(objName, {
                metadata: meta,
                spec: {
                    scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: this.workload.metadata.name },
                    minReplicas: settings.autoscaling.minReplicas,
                    maxReplicas: settings.autoscaling.maxReplicas,
                    metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: settings.autoscaling.targetCpuPercent } } }],
                },
            }, child);
        }

        if (cfg.ha.disruptionBudgets && replicated && entry.workload === "Deployment") {
            this.disruptionBudget = new k8s.policy.v1.PodDisruptionBudget(objName, {
                metadata: meta,
                spec: { maxUnavailable: 1, selector: { matchLabels: selector } },
            }, child);
        }

        this.registerOutputs({ workload: this.workload.metadata.name });
    }
}

export interface AppTierArgs {
    plan: DeploymentPlan;
    /** Rolls a pod when the app Secret it reads is written. */
    secrets: SecretRevision;
    /** What each service must wait for (the data services it declares). */
    dependencies: (entry: CatalogEntry) => pulumi.Resource[];
}

export class AppTier extends pulumi.ComponentResource {
    readonly services: Partial<Record<AppServiceKey, AppService>> = {};

    constructor(name: string, args: AppTierArgs, opts?: pulumi.ComponentResourceOptions) {
        super("the0:app:AppTier", name, {}, opts);
        const { plan, dependencies } = args;
        const cfg = plan.config;
        const ctx: WiringContext = { cfg, endpoints: plan.endpoints, secrets: args.secrets, postgresCluster: plan.postgresCluster };
        for (const entry of CATALOG) {
            const settings = cfg.apps[entry.key];
            if (!settings.enabled) continue;
            this.services[entry.key] = new AppService(
                `${name}-${entry.component}`,
                { entry, settings, ctx },
                { parent: this, dependsOn: dependencies(entry) },
            );
        }
        this.registerOutputs({});
    }
}
