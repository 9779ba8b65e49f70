// The cluster-addons project's one typed config object, validated before anything is registered:
// every problem at once, with its key, its value and what is allowed.
import { checkShape, isObj } from "../components/config/parse";
import { NOT_SHOWN, Problems } from "../components/config/problems";
import { mergeOverrides } from "../components/config/resolve";
import { Infer, Shape } from "../components/config/shapes";
import { CERT_MANAGER_NAMESPACE, CHART_VERSIONS, CNPG_VERSION, ENVOY_GATEWAY_CLASS, ENVOY_GATEWAY_NAMESPACE } from "../components/config/pins";
import { isChartVersion, isDnsLabel, isDnsSubdomain } from "../components/config/validate";

// Each add-on's fields, as the platform's object keys are described (components/config/shapes.ts): the
// same parser reads them and the types are inferred from them.
const CERT_MANAGER_SHAPE = {
    enabled: "boolean",
    chartVersion: "string",
    namespace: "string",
    /**
     * cert-manager's Gateway API support (certificates for Gateways, HTTP-01 through HTTPRoutes). cert-manager
     * fails to start when it is on and Gateway API's CRDs are missing, so it follows envoyGateway.enabled
     * (whose chart brings them) unless set.
     */
    gatewayApi: "boolean",
} as const satisfies Shape;

const ENVOY_GATEWAY_SHAPE = {
    enabled: "boolean",
    chartVersion: "string",
    namespace: "string",
    /** The GatewayClass platform stacks name in ingress.gateway.className. */
    className: "string",
} as const satisfies Shape;

/** kube-prometheus-stack: the Prometheus Operator's CRDs, a Prometheus, kube-state-metrics, cAdvisor scrapes and Grafana. */
const MONITORING_SHAPE = {
    enabled: "boolean",
    chartVersion: "string",
    namespace: "string",
    /** The Helm release's name; its Prometheus selects monitors and rules labelled release=<it>. */
    releaseName: "string",
} as const satisfies Shape;

/**
 * CloudNativePG, for platform stacks with postgres.mode cloudnative-pg: its release manifest (CRDs, RBAC,
 * webhooks, the operator in cnpg-system), one operator for every stack on the cluster.
 */
const CLOUDNATIVE_PG_SHAPE = {
    enabled: "boolean",
    /** The operator's release (x.y.z); the manifest comes from its release branch. */
    version: "string",
} as const satisfies Shape;

export type CertManagerAddon = Infer<typeof CERT_MANAGER_SHAPE>;
export type CloudnativePgAddon = Infer<typeof CLOUDNATIVE_PG_SHAPE>;
export type EnvoyGatewayAddon = Infer<typeof ENVOY_GATEWAY_SHAPE>;
export type MonitoringAddon = Infer<typeof MONITORING_SHAPE>;

export interface AddonsConfig {
    project: string;
    stack: string;
    kubeContext: string;
    certManager: CertManagerAddon;
    envoyGateway: EnvoyGatewayAddon;
    monitoring: MonitoringAddon;
    cloudnativePg: CloudnativePgAddon;
}

export const ADDON_DEFAULTS: { certManager: CertManagerAddon; envoyGateway: EnvoyGatewayAddon; monitoring: MonitoringAddon; cloudnativePg: CloudnativePgAddon } = {
    certManager: { enabled: true, chartVersion: CHART_VERSIONS.certManager, namespace: CERT_MANAGER_NAMESPACE, gatewayApi: false },
    envoyGateway: { enabled: false, chartVersion: CHART_VERSIONS.envoyGateway, namespace: ENVOY_GATEWAY_NAMESPACE, className: ENVOY_GATEWAY_CLASS },
    monitoring: { enabled: false, chartVersion: CHART_VERSIONS.kubePrometheusStack, namespace: "monitoring", releaseName: "kube-prometheus-stack" },
    cloudnativePg: { enabled: false, version: CNPG_VERSION },
};

type Raw = Readonly<Record<string, unknown>>;

/** One object key: checked against its shape by the platform's own parser, then merged over its defaults. */
function readObject<T extends object>(problems: Problems, key: string, raw: unknown, shape: Shape, defaults: T): T {
    if (raw === undefined) return { ...defaults };
    if (!isObj(raw)) {
        problems.add(key, raw, `must be an object with keys ${Object.keys(shape).join(", ")}`);
        return { ...defaults };
    }
    return mergeOverrides({ ...defaults }, checkShape(raw, shape, key, problems));
}

/** Builds and validates the add-ons config from the stack's values (objects already parsed from YAML/JSON). */
export function resolveAddonsConfig(project: string, stack: string, values: Raw): AddonsConfig {
    const problems = new Problems(project);
    for (const key of Object.keys(values)) {
        if (!["kubeContext", "certManager", "envoyGateway", "monitoring", "cloudnativePg"].includes(key)) problems.add(key, NOT_SHOWN, "unknown config key; allowed: kubeContext, certManager, envoyGateway, monitoring, cloudnativePg");
    }
    const kubeContext = typeof values.kubeContext === "string" ? values.kubeContext : "";
    const certManager = readObject(problems, "certManager", values.certManager, CERT_MANAGER_SHAPE, ADDON_DEFAULTS.certManager);
    const envoyGateway = readObject(problems, "envoyGateway", values.envoyGateway, ENVOY_GATEWAY_SHAPE, ADDON_DEFAULTS.envoyGateway);
    const monitoring = readObject(problems, "monitoring", values.monitoring, MONITORING_SHAPE, ADDON_DEFAULTS.monitoring);
    const cloudnativePg = readObject(problems, "cloudnativePg", values.cloudnativePg, CLOUDNATIVE_PG_SHAPE, ADDON_DEFAULTS.cloudnativePg);
    const gatewayApiSet = isObj(values.certManager) && typeof values.certManager.gatewayApi === "boolean";
    if (!gatewayApiSet) certManager.gatewayApi = envoyGateway.enabled;

    if (!isChartVersion(certManager.chartVersion)) problems.add("certManager.chartVersion", certManager.chartVersion, "must be a chart version such as v1.21.1");
    if (!isDnsLabel(certManager.namespace)) problems.add("certManager.namespace", certManager.namespace, "must be a namespace name (DNS-1123 label)");
    if (!isChartVersion(envoyGateway.chartVersion)) problems.add("envoyGateway.chartVersion", envoyGateway.chartVersion, "must be a chart version such as v1.6.3");
    if (!isDnsLabel(envoyGateway.namespace)) problems.add("envoyGateway.namespace", envoyGateway.namespace, "must be a namespace name (DNS-1123 label)");
    if (!isDnsSubdomain(envoyGateway.className)) problems.add("envoyGateway.className", envoyGateway.className, "must be a GatewayClass name (DNS subdomain)");
    if (certManager.enabled && envoyGateway.enabled && certManager.namespace === envoyGateway.namespace) {
        problems.add("envoyGateway.namespace", envoyGateway.namespace, "must differ from certManager.namespace (each add-on owns its namespace)");
    }
    if (envoyGateway.enabled && certManager.enabled && !certManager.gatewayApi) {
        problems.add("certManager.gatewayApi", false, "must be true with envoyGateway on: platform stacks in mode gateway get their certificates through cert-manager's Gateway API support");
    }
    if (!isChartVersion(monitoring.chartVersion)) problems.add("monitoring.chartVersion", monitoring.chartVersion, "must be a kube-prometheus-stack chart version such as 82.6.0");
    if (!isDnsLabel(monitoring.namespace)) problems.add("monitoring.namespace", monitoring.namespace, "must be a namespace name (DNS-1123 label)");
    // Helm caps release names at 53 characters; kube-prometheus-stack names objects after it.
    if (!isDnsLabel(monitoring.releaseName) || monitoring.releaseName.length > 53) problems.add("monitoring.releaseName", monitoring.releaseName, "must be a Helm release name (a DNS-1123 label of at most 53 characters)");
    // Only released versions have a manifest on their release branch (x.y.z; no release candidates).
    const cnpg = /^(\d+)\.(\d+)\.\d+$/.exec(cloudnativePg.version);
    if (!cnpg) problems.add("cloudnativePg.version", cloudnativePg.version, `must be a CloudNativePG release such as ${CNPG_VERSION}`);
    // Platform stacks archive WAL with the in-tree Barman Cloud support, which 1.31 removes (docs/kubernetes-deployment.md).
    else if (Number(cnpg[1]) > 1 || Number(cnpg[2]) > 30) problems.add("cloudnativePg.version", cloudnativePg.version, "must be 1.30.x or older: platform stacks back PostgreSQL up with CloudNativePG's in-tree Barman Cloud support, which 1.31 removes (the move to its Barman Cloud plugin comes first)");
    problems.throwIfAny(stack);
    return { project, stack, kubeContext, certManager, envoyGateway, monitoring, cloudnativePg };
}
