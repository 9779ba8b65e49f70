// Where things are reachable: data-service endpoints (in-cluster Service or external) and the
// public URLs of the web services. Derived from the real names and the domain, never hard-coded.
import { catalogEntry } from "./model/catalog";
import { AppServiceKey } from "./model/basics";
import { IngressHosts, PlatformConfig } from "./config/types";
import { fullName } from "./k8s/meta";
import { PORTS } from "./model/ports";


export interface HostPort {
    host: string;
    port: number;
}

export interface DataEndpoints {
    postgres: HostPort;
    mongo: HostPort;
    redis: HostPort;
    nats: HostPort;
    objectStorage: HostPort & { useSsl: boolean };
}

export function dataEndpoints(cfg: PlatformConfig): DataEndpoints {
    const os = cfg.objectStorage;
    return {
        postgres: cfg.postgres.mode === "inCluster" ? { host: fullName(cfg, "postgres"), port: PORTS.postgres } : { host: cfg.postgres.external.host, port: cfg.postgres.external.port },
        mongo: cfg.mongo.mode === "inCluster" ? { host: fullName(cfg, "mongo"), port: PORTS.mongo } : { host: cfg.mongo.external.host, port: cfg.mongo.external.port },
        redis: cfg.redis.mode === "inCluster" ? { host: fullName(cfg, "redis"), port: PORTS.redis } : { host: cfg.redis.external.host, port: cfg.redis.external.port },
        nats: { host: fullName(cfg, "nats"), port: PORTS.natsClient },
        objectStorage:
            os.mode === "external"
                ? { host: os.external.endpoint, port: os.external.port, useSsl: os.external.useSsl }
                : { host: fullName(cfg, "minio"), port: PORTS.minioApi, useSsl: false },
    };
}

/** http://<fn>-<component>:<port> of an app service's named port. */
export function serviceUrl(cfg: PlatformConfig, service: AppServiceKey, portName: string): string {
    const entry = catalogEntry(service);
    const port = entry.ports.find((p) => p.name === portName);
    if (!port || !port.exposed) throw new Error(`${service} exposes no port named ${portName}`);
    return `http://${fullName(cfg, entry.component)}:${port.containerPort}`;
}

/** Public URL of a web service: NodePort (minikube, as the0 does), else Ingress, else in-cluster. */
export function publicUrl(cfg: PlatformConfig, service: keyof IngressHosts): string {
    const host = cfg.ingress.hosts[service];
    if (cfg.nodePorts.enabled && host !== "") return `http://${host}:${cfg.nodePorts[service]}`;
    if (cfg.ingress.enabled && host !== "") return `${cfg.ingress.tlsIssuer === "none" ? "http" : "https"}://${host}`;
    return serviceUrl(cfg, service, "http");
}

/** Object storage as users outside the cluster see it (the0's MINIO_EXTERNAL_ENDPOINT). */
export function objectStoragePublicEndpoint(cfg: PlatformConfig): string {
    const os = cfg.objectStorage;
    if (os.mode === "external") return `${os.external.endpoint}:${os.external.port}`;
    if (cfg.nodePorts.enabled && cfg.domain !== "") return `minio.${cfg.domain}:${cfg.nodePorts.minio}`;
    return `${fullName(cfg, "minio")}:${PORTS.minioApi}`;
}
