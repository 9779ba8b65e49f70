// Where things are reachable: data-service endpoints (in-cluster Service or external) and the
// public URLs of the web services. Derived from the real names and the domain, never hard-coded.
import { postgresOperated, storeConfiguredInCluster, storeEnabled } from "../config/facts";
import { IngressHosts, PlatformConfig } from "../config/types";
import { fullName, serviceFqdn } from "../k8s/meta";
import { AppServiceKey } from "../model/basics";
import { catalogEntry } from "../model/catalog";
import { DATA_SERVICE_REGISTRY, DATA_SERVICES, DataServiceKey } from "../model/dataServices";
import { PORTS } from "../model/ports";


export interface HostPort {
    host: string;
    port: number;
}

/** Where a data service is, decided once for the whole program. */
export interface Placement extends HostPort {
    key: DataServiceKey;
    /** Part of this stack at all (Redis is optional). */
    enabled: boolean;
    /** A StatefulSet of ours; otherwise a server the stack only connects to. */
    inCluster: boolean;
    /** In the cluster, run by an operator (PostgreSQL under CloudNativePG): its read-write Service. */
    operated: boolean;
    /** In-cluster: the Service's FQDN. */
    fqdn?: string;
}

function placement(cfg: PlatformConfig, key: DataServiceKey): Placement {
    const spec = DATA_SERVICE_REGISTRY[key];
    const enabled = storeEnabled(cfg, key);
    const inCluster = storeConfiguredInCluster(cfg, key);
    if (inCluster) {
        const host = fullName(cfg, spec.component);
        return { key, enabled, inCluster, operated: false, host, port: spec.clientPort, fqdn: serviceFqdn(cfg, host) };
    }
    if (key === "postgres" && postgresOperated(cfg)) {
        // CloudNativePG's read-write Service, named after the Cluster (<fn>-postgres-rw).
        const host = `${fullName(cfg, spec.component)}-rw`;
        return { key, enabled, inCluster, operated: true, host, port: spec.clientPort, fqdn: serviceFqdn(cfg, host) };
    }
    const operated = false;
    switch (key) {
        case "objectStorage":
            return { key, enabled, inCluster, operated, host: cfg.objectStorage.external.endpoint, port: cfg.objectStorage.external.port };
        case "nats":
            // An external NATS is a list of URLs inside a secret; NATS' client port is the convention.
            return { key, enabled, inCluster, operated, host: "", port: spec.clientPort };
        default:
            return { key, enabled, inCluster, operated, host: cfg[key].external.host, port: cfg[key].external.port };
    }
}

/** Every data service's placement, decided once (resolvePlan). */
export function placements(cfg: PlatformConfig): Record<DataServiceKey, Placement> {
    return Object.fromEntries(DATA_SERVICES.map((k) => [k, placement(cfg, k)])) as Record<DataServiceKey, Placement>;
}

export interface DataEndpoints {
    postgres: HostPort;
    mongo: HostPort;
    redis: HostPort;
    nats: HostPort;
    objectStorage: HostPort & { useSsl: boolean };
}

/** Host and port each of the0's clients is given for each data service. */
export function dataEndpoints(cfg: PlatformConfig, stores: Record<DataServiceKey, Placement>): DataEndpoints {
    const at = (key: DataServiceKey): HostPort => ({ host: stores[key].host, port: stores[key].port });
    const os = stores.objectStorage;
    return {
        postgres: at("postgres"),
        mongo: at("mongo"),
        redis: at("redis"),
        // The in-cluster name even when external: the URL clients use then comes from natsUrl.
        nats: { host: fullName(cfg, "nats"), port: PORTS.natsClient },
        objectStorage: { ...at("objectStorage"), useSsl: !os.inCluster && cfg.objectStorage.external.useSsl },
    };
}

/** http://<fn>-<component>:<port> of an app service's named port. */
export function serviceUrl(cfg: PlatformConfig, service: AppServiceKey, portName: string): string {
    const entry = catalogEntry(service);
    const port = entry.ports.find((p) => p.name === portName);
    if (!port || !port.exposed) throw new Error(`${service} exposes no port named ${portName}`);
    return `http://${fullName(cfg, entry.component)}:${port.containerPort}`;
}

/** Public URL of a web service: NodePort (minikube, as the0 does), else Ingress or Gateway, else in-cluster. */
export function publicUrl(cfg: PlatformConfig, service: keyof IngressHosts): string {
    const host = cfg.ingress.hosts[service];
    if (cfg.nodePorts.enabled && host !== "") return `http://${host}:${cfg.nodePorts[service]}`;
    if (cfg.ingress.enabled && host !== "") return `${servedOverTls(cfg) ? "https" : "http"}://${host}`;
    return serviceUrl(cfg, service, "http");
}

/** Our issuer signs the hosts' certificates, or an existing Gateway's HTTPS listener serves them. */
function servedOverTls(cfg: PlatformConfig): boolean {
    const existingGateway = cfg.ingress.mode === "gateway" && !cfg.ingress.gateway.create;
    return existingGateway || cfg.ingress.tlsIssuer !== "none";
}
