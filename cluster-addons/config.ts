// The cluster-addons project's one typed config object, validated before anything is registered:
// every problem at once, with its key, its value and what is allowed.
import { NOT_SHOWN, Problems } from "../components/config/problems";
import { CERT_MANAGER_NAMESPACE, CHART_VERSIONS, ENVOY_GATEWAY_CLASS, ENVOY_GATEWAY_NAMESPACE } from "../components/config/pins";
import { isChartVersion, isDnsLabel, isDnsSubdomain } from "../components/config/validate";

export interface CertManagerAddon {
    enabled: boolean;
    chartVersion: string;
    namespace: string;
    /**
     * cert-manager's Gateway API support (certificates for Gateways, HTTP-01 through HTTPRoutes). cert-manager
     * fails to start when it is on and Gateway API's CRDs are missing, so it follows envoyGateway.enabled
     * (whose chart brings them) unless set.
     */
    gatewayApi: boolean;
}

export interface EnvoyGatewayAddon {
    enabled: boolean;
    chartVersion: string;
    namespace: string;
    /** The GatewayClass platform stacks name in ingress.gateway.className. */
    className: string;
}

/** kube-prometheus-stack: the Prometheus Operator's CRDs, a Prometheus, kube-state-metrics, cAdvisor scrapes and Grafana. */
export interface MonitoringAddon {
    enabled: boolean;
    chartVersion: string;
    namespace: string;
    /** The Helm release's name; its Prometheus selects monitors and rules labelled release=<it>. */
    releaseName: string;
}

export interface AddonsConfig {
    project: string;
    stack: string;
    kubeContext: string;
    certManager: CertManagerAddon;
    envoyGateway: EnvoyGatewayAddon;
    monitoring: MonitoringAddon;
}

export const ADDON_DEFAULTS = {
    certManager: { enabled: true, chartVersion: CHART_VERSIONS.certManager, namespace: CERT_MANAGER_NAMESPACE, gatewayApi: false },
    envoyGateway: { enabled: false, chartVersion: CHART_VERSIONS.envoyGateway, namespace: ENVOY_GATEWAY_NAMESPACE, className: ENVOY_GATEWAY_CLASS },
    monitoring: { enabled: false, chartVersion: CHART_VERSIONS.kubePrometheusStack, namespace: "monitoring", releaseName: "kube-prometheus-stack" },
} as const;

type Raw = Readonly<Record<string, unknown>>;

function isObject(v: unknown): v is Raw {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Reads one object key field by field: unknown fields and wrong types are problems, missing ones take the default. */
function readObject<T extends object>(problems: Problems, key: string, raw: unknown, defaults: T): T {
    if (raw === undefined) return { ...defaults };
    if (!isObject(raw)) {
        problems.add(key, raw, `must be an object with keys ${Object.keys(defaults).join(", ")}`);
        return { ...defaults };
    }
    const out: Record<string, unknown> = { ...(defaults as Record<string, unknown>) };
    for (const [field, v] of Object.entries(raw)) {
        const want = (defaults as Record<string, unknown>)[field];
        if (want === undefined) problems.add(`${key}.${field}`, NOT_SHOWN, `unknown key; allowed: ${Object.keys(defaults).join(", ")}`);
        else if (typeof v !== typeof want) problems.add(`${key}.${field}`, v, `must be a ${typeof want}`);
        else out[field] = v;
    }
    return out as T;
}

/** Builds and validates the add-ons config from the stack's values (objects already parsed from YAML/JSON). */
export function resolveAddonsConfig(project: string, stack: string, values: Raw): AddonsConfig {
    const problems = new Problems(project);
    for (const key of Object.keys(values)) {
        if (!["kubeContext", "certManager", "envoyGateway", "monitoring"].includes(key)) problems.add(key, NOT_SHOWN, "unknown config key; allowed: kubeContext, certManager, envoyGateway, monitoring");
    }
    const kubeContext = typeof values.kubeContext === "string" ? values.kubeContext : "";
    const certManager = readObject<CertManagerAddon>(problems, "certManager", values.certManager, ADDON_DEFAULTS.certManager);
    const envoyGateway = readObject<EnvoyGatewayAddon>(problems, "envoyGateway", values.envoyGateway, ADDON_DEFAULTS.envoyGateway);
    const monitoring = readObject<MonitoringAddon>(problems, "monitoring", values.monitoring, ADDON_DEFAULTS.monitoring);
    const gatewayApiSet = isObject(values.certManager) && typeof values.certManager.gatewayApi === "boolean";
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
    problems.throwIfAny(stack);
    return { project, stack, kubeContext, certManager, envoyGateway, monitoring };
}
