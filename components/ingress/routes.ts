// The web hosts the0 serves, and where each one's traffic goes: one list both ways in (Ingress and
// Gateway API) are built from.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { WebService, WEB_SERVICES } from "../model/basics";
import { catalogEntry } from "../model/catalog";
import { PlatformConfig } from "../config/types";
import { fullName } from "../k8s/meta";

/** the0 hosts that take uploads: the CLI posts custom-bot ZIPs to the api. */
const UPLOAD_HOSTS: readonly WebService[] = ["api"];
/** Hosts with long-lived responses: the frontend relays bot logs and bot status as server-sent events. */
const STREAMING_HOSTS: readonly WebService[] = ["frontend"];

export interface WebRoute {
    service: WebService;
    component: string;
    host: string;
    /** The object name of the route (Ingress or HTTPRoute) and the stem of its certificate Secret. */
    name: string;
    tlsSecret: string;
    backendName: pulumi.Output<string>;
    backendPort: number;
    takesUploads: boolean;
    streams: boolean;
}

/** One route per web service that runs and has a host. */
export function webRoutes(cfg: PlatformConfig, backends: Partial<Record<WebService, k8s.core.v1.Service>>): WebRoute[] {
    return WEB_SERVICES.flatMap((service) => {
        const backend = backends[service];
        const host = cfg.ingress.hosts[service];
        if (!backend || host === "") return [];
        const entry = catalogEntry(service);
        const port = entry.ports.find((p) => p.exposed)!;
        const name = fullName(cfg, entry.component);
        return [{
            service, component: entry.component, host, name, tlsSecret: `${name}-tls`,
            backendName: backend.metadata.name, backendPort: port.containerPort,
            takesUploads: UPLOAD_HOSTS.includes(service), streams: STREAMING_HOSTS.includes(service),
        }];
    });
}
