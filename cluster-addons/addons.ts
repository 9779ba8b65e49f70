// Cluster-wide add-ons, once per cluster, for every platform stack on it: cert-manager (TLS for
// Ingresses and Gateways), optionally Envoy Gateway (a maintained Gateway API implementation) with
// its GatewayClass, optionally kube-prometheus-stack (the Prometheus Operator and Grafana), and
// optionally CloudNativePG (the PostgreSQL operator for postgres.mode cloudnative-pg). Platform stacks only use them, so several can share a cluster and each
// can be destroyed without taking TLS or routing from the others.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { AddonsConfig } from "./config";
import { CNPG_OPERATOR_NAMESPACE, cnpgReleaseManifest } from "../components/config/pins";

const KUBE_PROMETHEUS_STACK_REPO = "https://prometheus-community.github.io/helm-charts";

/** Envoy Gateway's controller, as its GatewayClass names it. */
export const ENVOY_GATEWAY_CONTROLLER = "gateway.envoyproxy.io/gatewayclass-controller";

/**
 * A resource transform for manifests whose CRDs hold other stacks' data: each CRD is retained when this stack
 * deletes it (destroy, or the add-on turned off), so the custom resources of every stack stay.
 */
export function keepCustomResourceDefinitions(args: pulumi.ResourceTransformArgs): pulumi.ResourceTransformResult | undefined {
    if (args.type !== "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition") return undefined;
    return { props: args.props, opts: { ...args.opts, retainOnDelete: true } };
}

function labels(): Record<string, string> {
    return { "app.kubernetes.io/part-of": "the0-cluster-addons", "app.kubernetes.io/managed-by": "pulumi" };
}

export interface ClusterAddonsOutputs {
    /** Platform stacks' monitoring.namespace and monitoring.selectorLabel. */
    monitoringNamespace?: string;
    monitoringSelectorLabel?: string;
    /** Platform stacks' postgres.cloudnativePg.operatorNamespace. */
    cnpgOperatorNamespace?: string;
    certManagerNamespace?: string;
    gatewayClassName?: string;
    gatewayNamespace?: string;
}

export class ClusterAddons extends pulumi.ComponentResource {
    readonly provider: k8s.Provider;
    readonly certManager?: k8s.helm.v3.Release;
    readonly envoyGateway?: k8s.helm.v3.Release;
    readonly monitoring?: k8s.helm.v3.Release;
    readonly cloudnativePg?: k8s.yaml.v2.ConfigFile;
    readonly gatewayClass?: k8s.apiextensions.CustomResource;
    readonly outputs: ClusterAddonsOutputs;

    constructor(name: string, args: { config: AddonsConfig }, opts?: pulumi.ComponentResourceOptions) {
        super("the0:addons:ClusterAddons", name, {}, opts);
        const cfg = args.config;
        this.provider = new k8s.Provider(`${name}-k8s`, {
            context: cfg.kubeContext === "" ? undefined : cfg.kubeContext,
            clusterIdentifier: cfg.kubeContext === "" ? `${cfg.project}-${cfg.stack}` : cfg.kubeContext,
        }, { parent: this });
        const inCluster = { parent: this, provider: this.provider };

        if (cfg.envoyGateway.enabled) {
            // Its chart carries Gateway API's CRDs (v1.6.1); it is published only as an OCI artifact.
            // Envoy streams request bodies (no size limit) and runs the Gateways' proxies in this namespace.
            this.envoyGateway = new k8s.helm.v3.Release(`${name}-envoy-gateway`, {
                name: "eg",
                chart: "oci://docker.io/envoyproxy/gateway-helm",
                version: cfg.envoyGateway.chartVersion,
                namespace: cfg.envoyGateway.namespace,
                createNamespace: true,
            }, inCluster);
            this.gatewayClass = new k8s.apiextensions.CustomResource(`${name}-gateway-class`, {
                apiVersion: "gateway.networking.k8s.io/v1",
                kind: "GatewayClass",
                metadata: { name: cfg.envoyGateway.className, labels: labels() },
                spec: { controllerName: ENVOY_GATEWAY_CONTROLLER },
            }, { ...inCluster, dependsOn: [this.envoyGateway] });
        }

        if (cfg.certManager.enabled) {
            // A Release, not helm.v3.Chart: cert-manager's chart has install hooks (its startup check).
            this.certManager = new k8s.helm.v3.Release(`${name}-cert-manager`, {
                name: "cert-manager",
                chart: "cert-manager",
                version: cfg.certManager.chartVersion,
                repositoryOpts: { repo: "https://charts.jetstack.io" },
                namespace: cfg.certManager.namespace,
                createNamespace: true,
                values: {
                    // crds.keep leaves the CRDs (and so every Certificate of every stack) in place on uninstall.
                    crds: { enabled: true, keep: true },
                    config: {
                        apiVersion: "controller.config.cert-manager.io/v1alpha1",
                        kind: "ControllerConfiguration",
                        gatewayAPI: { enabled: cfg.certManager.gatewayApi },
                    },
                },
            }, { ...inCluster, dependsOn: this.envoyGateway ? [this.envoyGateway] : [] }); // Gateway API's CRDs (Envoy Gateway's chart) first
        }

        if (cfg.monitoring.enabled) {
            // Cluster-wide (CRDs, node exporters, one Prometheus per cluster), so here and not in a platform stack.
            this.monitoring = new k8s.helm.v3.Release(`${name}-kube-prometheus-stack`, {
                name: cfg.monitoring.releaseName,
                chart: "kube-prometheus-stack",
                version: cfg.monitoring.chartVersion,
                repositoryOpts: { repo: KUBE_PROMETHEUS_STACK_REPO },
                namespace: cfg.monitoring.namespace,
                createNamespace: true,
                values: {
                    // Platform stacks keep their dashboards beside the0, in their own namespaces.
                    grafana: { sidecar: { dashboards: { enabled: true, label: "grafana_dashboard", labelValue: "1", searchNamespace: "ALL" } } },
                },
            }, inCluster);
        }

        if (cfg.cloudnativePg.enabled) {
            // CloudNativePG's own release manifest, as its docs install it (`kubectl apply --server-side`): the
            // provider applies server-side too, so a new version updates the CRDs with the operator. (No chart ships
            // 1.30.1: chart 0.29.0 carries 1.30.0.) The manifest keeps its namespace, cnpg-system. Its CRDs outlive
            // this stack, like cert-manager's (crds.keep): deleting them would delete every platform stack's Cluster,
            // and the operator's garbage collection their volumes.
            this.cloudnativePg = new k8s.yaml.v2.ConfigFile(`${name}-cloudnative-pg`, {
                file: cnpgReleaseManifest(cfg.cloudnativePg.version),
            }, { ...inCluster, transforms: [keepCustomResourceDefinitions] });
        }

        this.outputs = {
            monitoringNamespace: cfg.monitoring.enabled ? cfg.monitoring.namespace : undefined,
            monitoringSelectorLabel: cfg.monitoring.enabled ? `release=${cfg.monitoring.releaseName}` : undefined,
            cnpgOperatorNamespace: cfg.cloudnativePg.enabled ? CNPG_OPERATOR_NAMESPACE : undefined,
            certManagerNamespace: cfg.certManager.enabled ? cfg.certManager.namespace : undefined,
            gatewayClassName: cfg.envoyGateway.enabled ? cfg.envoyGateway.className : undefined,
            gatewayNamespace: cfg.envoyGateway.enabled ? cfg.envoyGateway.namespace : undefined,
        };
        this.registerOutputs({ ...this.outputs });
    }
}
