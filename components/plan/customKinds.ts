// The custom kinds a stack creates, by what its config turns on: each needs its CRD in the cluster
// (from the cluster-addons project, or the cluster's own installs) before the first `up`. The tiers
// decide what they create; tests/live.test.ts holds this list to what every stack's rendering
// registers, so the two cannot drift.
import { postgresArchived, postgresOperated } from "../config/facts";
import { PlatformConfig } from "../config/types";

export interface CustomKind {
    group: string;
    version: string;
    kind: string;
    /** The resource name in the API (lowercase plural). */
    resource: string;
    /** What installs its CRD. */
    source: string;
}

const CERT_MANAGER = "cert-manager (the cluster-addons project: certManager.enabled)";
const GATEWAY_API = "Gateway API's CRDs (with Envoy Gateway from the cluster-addons project: envoyGateway.enabled, or your Gateway implementation)";
const CLOUDNATIVE_PG = "CloudNativePG (the cluster-addons project: cloudnativePg.enabled), or set postgres.mode to inCluster";
const PROMETHEUS_OPERATOR = "the Prometheus Operator (kube-prometheus-stack from the cluster-addons project: monitoring.enabled), or turn monitoring off";

const kind = (group: string, version: string, k: string, source: string): CustomKind => ({ group, version, kind: k, resource: `${k.toLowerCase()}s`, source });

export function customKinds(cfg: PlatformConfig, measuredSources: number): CustomKind[] {
    const out: CustomKind[] = [];
    const ing = cfg.ingress;
    if (ing.enabled) {
        if (ing.tlsIssuer === "selfSigned") out.push(kind("cert-manager.io", "v1", "Issuer", CERT_MANAGER), kind("cert-manager.io", "v1", "Certificate", CERT_MANAGER));
        if (ing.tlsIssuer === "letsencrypt-staging" || ing.tlsIssuer === "letsencrypt-production") out.push(kind("cert-manager.io", "v1", "Issuer", CERT_MANAGER));
        if (ing.mode === "gateway") {
            if (ing.gateway.create) out.push(kind("gateway.networking.k8s.io", "v1", "Gateway", GATEWAY_API));
            out.push(kind("gateway.networking.k8s.io", "v1", "HTTPRoute", GATEWAY_API));
        }
    }
    if (postgresOperated(cfg)) {
        out.push(kind("postgresql.cnpg.io", "v1", "Cluster", CLOUDNATIVE_PG));
        if (postgresArchived(cfg)) out.push(kind("postgresql.cnpg.io", "v1", "ScheduledBackup", CLOUDNATIVE_PG));
    }
    if (cfg.monitoring.enabled) {
        if (measuredSources > 0) out.push(kind("monitoring.coreos.com", "v1", "PodMonitor", PROMETHEUS_OPERATOR));
        out.push(kind("monitoring.coreos.com", "v1", "PrometheusRule", PROMETHEUS_OPERATOR));
    }
    return out;
}
