// The stack's outputs, derived from the config beside the endpoints they report.
import { PlatformConfig } from "./config/types";
import { DATA_SERVICE_REGISTRY, DATA_SERVICES } from "./model/dataServices";
import { publicUrl, serviceUrl } from "./plan/endpoints";
import { DeploymentPlan } from "./plan/plan";

/** URLs users open (NodePort on minikube, Ingress on cloud). */
export function publicUrls(cfg: PlatformConfig): { frontend: string; api: string; docs: string } {
    return { frontend: publicUrl(cfg, "frontend"), api: publicUrl(cfg, "api"), docs: publicUrl(cfg, "docs") };
}

/** In-cluster endpoints of the enabled app services and of every data service, for other workloads and debugging. */
export function endpointOutputs(plan: DeploymentPlan): Record<string, string> {
    const cfg = plan.config;
    const out: Record<string, string> = {};
    for (const [key, port] of [["api", "http"], ["frontend", "http"], ["docs", "http"], ["botController", "query"]] as const) {
        if (cfg.apps[key].enabled) out[key === "botController" ? "botControllerQuery" : key] = serviceUrl(cfg, key, port);
    }
    for (const key of DATA_SERVICES) {
        const p = plan.stores[key];
        if (!p.enabled) continue;
        // External object storage is shown (it is not secret); other external services' details live in the Secret.
        out[key] = p.inCluster ? `${p.fqdn}:${DATA_SERVICE_REGISTRY[key].clientPort}` : key === "objectStorage" ? `${p.host}:${p.port}` : "external";
    }
    return out;
}

/** /etc/hosts names to point at the Minikube IP (empty unless the0 is reached through NodePorts). */
export function hostnameOutputs(cfg: PlatformConfig): string[] {
    if (!cfg.nodePorts.enabled || cfg.domain === "") return [];
    return [cfg.ingress.hosts.frontend, cfg.ingress.hosts.api, cfg.ingress.hosts.docs, `minio.${cfg.domain}`].filter((h) => h !== "");
}
