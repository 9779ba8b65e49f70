// The stack's outputs, derived from the config beside the endpoints they report.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { PlatformConfig } from "./config/types";
import { gatewayRef } from "./ingress/gateway";
import { appSecretName } from "./k8s/meta";
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
        out[key] = p.inCluster || p.operated ? `${p.fqdn}:${DATA_SERVICE_REGISTRY[key].clientPort}` : key === "objectStorage" ? `${p.host}:${p.port}` : "external";
    }
    return out;
}

/** /etc/hosts names to point at the Minikube IP (empty unless the0 is reached through NodePorts). */
export function hostnameOutputs(cfg: PlatformConfig): string[] {
    if (!cfg.nodePorts.enabled || cfg.domain === "") return [];
    return [cfg.ingress.hosts.frontend, cfg.ingress.hosts.api, cfg.ingress.hosts.docs, `minio.${cfg.domain}`].filter((h) => h !== "");
}

/** Where DNS must point for the web hosts: what a user needs on day one, before the0 can be reached by name. */
export interface DnsOutput {
    hosts: string[];
    /** The address itself when the stack knows it, otherwise the command that prints it. */
    pointAt: pulumi.Output<string> | string;
}

export function dnsOutput(cfg: PlatformConfig, ingresses: k8s.networking.v1.Ingress[]): DnsOutput | "not exposed" {
    const hosts = [cfg.ingress.hosts.frontend, cfg.ingress.hosts.api, cfg.ingress.hosts.docs].filter((h) => h !== "");
    const ns = cfg.kubernetes.namespace;
    if (cfg.ingress.enabled && cfg.ingress.mode === "ingress" && ingresses.length > 0) {
        // The controller writes the address into each Ingress's status (Pulumi waits for it).
        const lb = ingresses[0].status.loadBalancer.ingress;
        return { hosts, pointAt: lb.apply((l) => l?.[0]?.ip ?? l?.[0]?.hostname ?? `not assigned yet: kubectl -n ${ns} get ingress`) };
    }
    if (cfg.ingress.enabled && cfg.ingress.mode === "gateway") {
        const gw = gatewayRef(cfg);
        return { hosts, pointAt: `the Gateway's address: kubectl -n ${gw.namespace} get gateway ${gw.name} -o jsonpath='{.status.addresses[0].value}'` };
    }
    if (cfg.nodePorts.enabled) return { hosts, pointAt: "a node's address (minikube ip), in /etc/hosts: see the hostnames output" };
    return "not exposed";
}

/** How to sign in as the root admin: the URL, the email and the command that prints the password (never the password). */
export function adminSignIn(cfg: PlatformConfig): string {
    return `${publicUrl(cfg, "frontend")} as ${cfg.rootAdminEmail}; the password: kubectl -n ${cfg.kubernetes.namespace} get secret ${appSecretName(cfg)} -o jsonpath='{.data.admin-password}' | base64 -d`;
}
