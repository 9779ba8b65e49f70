// The whole platform in one component: an explicit Kubernetes provider built from config, the
// namespace (Pod Security Admission `restricted`), the app Secret, the data tier, NATS, the app
// tier and ingress/TLS, wired in dependency order. The deployment plan is resolved once here from
// the validated config; every tier reads it and none reads another.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { CatalogEntry } from "./model/catalog";
import { PreviewReader } from "./access/previewReader";
import { AppTier } from "./app/appTier";
import { Backups, BackupsSummary } from "./backup/backups";
import { Monitoring, MonitoringSummary } from "./monitoring/monitoring";
import { SecretInputs } from "./config/load";
import { PlatformConfig } from "./config/types";
import { DataTier } from "./data/dataTier";
import { IngressTier } from "./ingress/ingressTier";
import { CreatedKinds } from "./k8s/createdKinds";
import { foreignMeta, labels } from "./k8s/meta";
import { NatsCluster } from "./data/nats/natsCluster";
import { NetworkPolicies } from "./network/policies";
import { adminSignIn, DnsOutput, dnsOutput, endpointOutputs, hostnameOutputs, publicUrls } from "./outputs";
import { DeploymentPlan, resolvePlan } from "./plan/plan";
import { AppSecrets } from "./secrets";
import { SmokeCheck } from "./smoke/smokeJob";

export interface PlatformOutputs {
    namespace: pulumi.Output<string>;
    secretName: string;
    /** URLs users open (NodePort on minikube, Ingress on cloud). */
    urls: { frontend: string; api: string; docs: string };
    /** In-cluster endpoints, for other workloads and for debugging. */
    endpoints: Record<string, string>;
    /** /etc/hosts names to point at the Minikube IP (empty unless NodePorts are on). */
    hostnames: string[];
    /** The read-only ServiceAccount for `pulumi preview --refresh` (scripts/preview-kubeconfig.sh). */
    previewServiceAccount: string;
    /** the0's release the stack deploys. */
    the0Version: string;
    /** Where DNS must point for the web hosts. */
    dns: DnsOutput | "not exposed";
    /** How to sign in as the root admin (never the password itself). */
    adminSignIn: string;
    /** Schedule, target, stores and how to see the last runs; "disabled" when off. */
    backups: BackupsSummary | "disabled";
    /** Alerts, dashboards and how to reach Grafana; "disabled" when off. */
    monitoring: MonitoringSummary | "disabled";
}

export interface PlatformArgs {
    /** The validated stack config (loadConfig). */
    config: PlatformConfig;
    /** Secret config values, kept apart from the config (never component props). */
    secrets: SecretInputs;
}

export class Platform extends pulumi.ComponentResource {
    /** Every shared fact, resolved once from the config. */
    readonly plan: DeploymentPlan;
    readonly provider: k8s.Provider;
    readonly namespace: k8s.core.v1.Namespace;
    readonly secrets: AppSecrets;
    readonly data: DataTier;
    readonly nats?: NatsCluster;
    readonly apps: AppTier;
    readonly ingress?: IngressTier;
    readonly backups?: Backups;
    readonly monitoring?: Monitoring;
    readonly network?: NetworkPolicies;
    readonly previewReader: PreviewReader;
    readonly smoke: SmokeCheck;
    readonly outputs: PlatformOutputs;

    constructor(name: string, args: PlatformArgs, opts?: pulumi.ComponentResourceOptions) {
        // Every object below is seen as it is declared, for the preview identity's read rules (built last).
        const created = new CreatedKinds();
        super("the0:platform:Platform", name, {}, { ...opts, transformations: [...(opts?.transformations ?? []), created.transformation] });
        const cfg = args.config;
        const plan = (this.plan = resolvePlan(cfg));

        this.provider = new k8s.Provider(`${name}-k8s`, {
            context: cfg.kubernetes.context === "" ? undefined : cfg.kubernetes.context,
            // The cluster's identity is its context, not the credentials: a preview with the read-only
            // kubeconfig (or a rotated token) must not plan a provider replacement, and with it every object.
            // The provider ignores the identifier being added, so existing stacks are not replaced either.
            clusterIdentifier: cfg.kubernetes.context === "" ? `${cfg.project}-${cfg.stack}` : cfg.kubernetes.context,
            // Re-adopt objects a protected destroy left behind (retained namespace, volumes).
            upsertExistingObjects: cfg.protectDataVolumes,
            // Update the Secret and the NATS ConfigMap in place. By default the provider replaces them
            // on a data change, and because their names are fixed it deletes before it creates: the
            // engine then replaces every workload whose spec uses their outputs (the Secret's revision,
            // the ConfigMap's name), and a replaced StatefulSet takes its volumes with it on stacks
            // that do not protect them. In place, the revision and config checksum roll the readers.
            enableSecretMutable: true,
            enableConfigMapMutable: true,
        }, { parent: this });
        const inCluster = { parent: this, provider: this.provider };

        this.namespace = new k8s.core.v1.Namespace(`${name}-namespace`, {
            metadata: {
                ...foreignMeta(cfg, "namespace", cfg.kubernetes.namespace),
                labels: {
                    ...labels(cfg, "namespace"),
                    "pod-security.kubernetes.io/enforce": "restricted",
                    "pod-security.kubernetes.io/enforce-version": "latest",
                    "pod-security.kubernetes.io/audit": "restricted",
                    "pod-security.kubernetes.io/warn": "restricted",
                },
            },
        }, { ...inCluster, retainOnDelete: cfg.protectDataVolumes });
        const inNamespace = { ...inCluster, dependsOn: [this.namespace] };

        if (cfg.networkPolicies) this.network = new NetworkPolicies(`${name}-network`, { plan }, inNamespace);

        // Passwords are generated while the namespace is created; the Secret itself waits for the namespace.
        this.secrets = new AppSecrets(`${name}-secrets`, { plan, inputs: args.secrets, namespace: this.namespace }, inCluster);
        const afterSecrets = { ...inCluster, dependsOn: [this.namespace, this.secrets] };

        this.data = new DataTier(`${name}-data`, { plan, secrets: this.secrets }, afterSecrets);
        // NATS reads nothing from the Secret (no client auth): it starts beside the generated passwords, not after them.
        if (plan.inClusterStores.includes("nats")) this.nats = new NatsCluster(`${name}-nats`, { plan }, inNamespace);

        const dependencies = (entry: CatalogEntry): pulumi.Resource[] => entry.dependsOn.flatMap((d) => {
            if (!("data" in d)) return [];
            const r = d.data === "nats" ? this.nats?.workload.statefulSet : this.data.readinessOf(d.data);
            return r ? [r] : [];
        });
        this.apps = new AppTier(`${name}-apps`, { plan, secrets: this.secrets, dependencies }, afterSecrets);

        if (cfg.backups.enabled) this.backups = new Backups(`${name}-backups`, { plan, secrets: args.secrets }, afterSecrets);

        // The post-deploy check's identity (`npm run smoke` creates its Job from components/smoke).
        this.smoke = new SmokeCheck(`${name}-smoke`, { config: cfg }, inNamespace);

        if (cfg.monitoring.enabled) this.monitoring = new Monitoring(`${name}-monitoring`, { plan }, inNamespace);

        if (cfg.ingress.enabled) {
            this.ingress = new IngressTier(`${name}-ingress`, {
                config: cfg,
                backends: { frontend: this.apps.services.frontend?.service, api: this.apps.services.api?.service, docs: this.apps.services.docs?.service },
            }, inNamespace);
        }

        // Last: it reads exactly what the stack created above.
        this.previewReader = new PreviewReader(`${name}-preview-reader`, { plan, created }, inNamespace);

        this.outputs = {
            namespace: this.namespace.metadata.name,
            secretName: this.secrets.secretName,
            urls: publicUrls(cfg),
            endpoints: endpointOutputs(plan),
            hostnames: hostnameOutputs(cfg),
            previewServiceAccount: this.previewReader.serviceAccountName,
            the0Version: cfg.version,
            dns: dnsOutput(cfg, Object.values(this.ingress?.ingresses ?? {}).filter((i): i is k8s.networking.v1.Ingress => i !== undefined)),
            adminSignIn: adminSignIn(cfg),
            backups: this.backups?.summary ?? "disabled",
            monitoring: this.monitoring?.summary ?? "disabled",
        };
        this.registerOutputs({ namespace: this.outputs.namespace, urls: this.outputs.urls, endpoints: this.outputs.endpoints });
    }
}
