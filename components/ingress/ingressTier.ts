// How web traffic reaches the0: an Ingress per host for an IngressClass, or Gateway API (the
// stack's own Gateway, or an existing one, and an HTTPRoute per host). TLS comes from
// cert-manager, which this stack only uses: it and every controller are cluster-wide, so they are
// the cluster-addons project's (or the cluster's). Nothing here is cluster-scoped, so stacks
// sharing a cluster are created and destroyed independently.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { WebService } from "../model/basics";
import { PlatformConfig } from "../config/types";
import { createGateway, createHttpsRedirect, createRoute, gatewayRef } from "./gateway";
import { createIngress } from "./ingresses";
import { IssuerChain, issuerRef } from "./issuers";
import { webRoutes } from "./routes";

export interface IngressTierArgs {
    config: PlatformConfig;
    /** The Services the routes send traffic to, by web service. */
    backends: Partial<Record<WebService, k8s.core.v1.Service>>;
}

export class IngressTier extends pulumi.ComponentResource {
    readonly issuers: IssuerChain;
    readonly ingresses: Partial<Record<WebService, k8s.networking.v1.Ingress>> = {};
    readonly gateway?: k8s.apiextensions.CustomResource;
    readonly routes: Partial<Record<WebService, k8s.apiextensions.CustomResource>> = {};

    constructor(name: string, args: IngressTierArgs, opts?: pulumi.ComponentResourceOptions) {
        super("the0:ingress:IngressTier", name, {}, opts);
        const { config: cfg } = args;
        const routes = webRoutes(cfg, args.backends);
        const ownGateway = cfg.ingress.mode === "gateway" && cfg.ingress.gateway.create;

        this.issuers = new IssuerChain(`${name}-issuers`, { config: cfg, gatewayName: ownGateway ? gatewayRef(cfg).name : undefined }, { parent: this });
        // The issuer first, so the shims find it when they see the Ingress or Gateway.
        const afterIssuer = { parent: this, dependsOn: this.issuers.issuer ? [this.issuers.issuer] : [] };

        if (cfg.ingress.mode === "ingress") {
            for (const route of routes) this.ingresses[route.service] = createIngress(cfg, route, afterIssuer);
        } else {
            if (ownGateway) {
                this.gateway = createGateway(`${name}-gateway`, cfg, routes, afterIssuer);
                if (issuerRef(cfg)) createHttpsRedirect(`${name}-https-redirect`, cfg, routes, { parent: this, dependsOn: [this.gateway] });
            }
            const afterGateway = { parent: this, dependsOn: this.gateway ? [this.gateway] : [] };
            for (const route of routes) this.routes[route.service] = createRoute(cfg, route, afterGateway);
        }
        this.registerOutputs({});
    }
}
