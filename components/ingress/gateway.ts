// mode gateway (Gateway API): the stack's own Gateway (an HTTPS listener per host, its
// certificate from cert-manager's gateway-shim, and a plain-HTTP listener that only redirects and
// answers HTTP-01), or an existing Gateway's HTTPS listener; an HTTPRoute per host.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { PlatformConfig } from "../config/types";
import { objectMeta } from "../k8s/meta";
import { HTTP_LISTENER, issuerAnnotation, issuerRef } from "./issuers";
import { WebRoute } from "./routes";

const GATEWAY_API = "gateway.networking.k8s.io/v1";
const GATEWAY_GROUP = "gateway.networking.k8s.io";

/** The Gateway the routes attach to: ours (named after the instance unless set) or the configured existing one. */
export function gatewayRef(cfg: PlatformConfig): { name: string; namespace: string } {
    const gw = cfg.ingress.gateway;
    if (gw.create) return { name: gw.name || cfg.instanceName, namespace: cfg.kubernetes.namespace };
    return { name: gw.name, namespace: gw.namespace || cfg.kubernetes.namespace };
}

/** Our HTTPS listener for a host. */
export function httpsListener(route: WebRoute): string {
    return `https-${route.service}`;
}

/** The stack's own Gateway: namespaced, routes from this namespace only. */
export function createGateway(name: string, cfg: PlatformConfig, routes: WebRoute[], opts: pulumi.CustomResourceOptions): k8s.apiextensions.CustomResource {
    const ref = issuerRef(cfg);
    const sameNamespace = { namespaces: { from: "Same" } };
    const https = ref ? routes.map((r) => ({
        name: httpsListener(r),
        hostname: r.host,
        port: 443,
        protocol: "HTTPS",
        tls: { mode: "Terminate", certificateRefs: [{ group: "", kind: "Secret", name: r.tlsSecret }] },
        allowedRoutes: sameNamespace,
    })) : [];
    return new k8s.apiextensions.CustomResource(name, {
        apiVersion: GATEWAY_API,
        kind: "Gateway",
        metadata: objectMeta(cfg, "gateway", gatewayRef(cfg).name, ref ? issuerAnnotation(ref) : {}),
        spec: {
            gatewayClassName: cfg.ingress.gateway.className,
            listeners: [{ name: HTTP_LISTENER, port: 80, protocol: "HTTP", allowedRoutes: sameNamespace }, ...https],
        },
    }, opts);
}

/** Where a host's route attaches: our HTTPS listener, our HTTP listener when TLS is off, or the existing Gateway's listener. */
function parentRef(cfg: PlatformConfig, route: WebRoute) {
    const gw = gatewayRef(cfg);
    const sectionName = !cfg.ingress.gateway.create ? cfg.ingress.gateway.sectionName : issuerRef(cfg) ? httpsListener(route) : HTTP_LISTENER;
    return { group: GATEWAY_GROUP, kind: "Gateway", name: gw.name, namespace: gw.namespace, sectionName };
}

/**
 * A route's request timeout. Gateway API leaves the default to the implementation, and Envoy's is
 * 15 s from the end of the request to the end of the response: it would cut the frontend's event
 * streams (0s turns it off; they send keep-alives) and a slow api reply after an upload.
 */
function requestTimeout(cfg: PlatformConfig, route: WebRoute): { request: string } | undefined {
    if (route.streams) return { request: "0s" };
    if (route.takesUploads) return { request: `${cfg.ingress.requestTimeoutSeconds}s` };
    return undefined;
}

/** An HTTPRoute per host, with the timeouts its traffic needs. */
export function createRoute(cfg: PlatformConfig, route: WebRoute, opts: pulumi.CustomResourceOptions): k8s.apiextensions.CustomResource {
    const timeouts = requestTimeout(cfg, route);
    return new k8s.apiextensions.CustomResource(route.name, {
        apiVersion: GATEWAY_API,
        kind: "HTTPRoute",
        metadata: objectMeta(cfg, route.component, route.name),
        spec: {
            parentRefs: [parentRef(cfg, route)],
            hostnames: [route.host],
            rules: [{
                matches: [{ path: { type: "PathPrefix", value: "/" } }],
                backendRefs: [{ group: "", kind: "Service", name: route.backendName, port: route.backendPort }],
                ...(timeouts ? { timeouts } : {}),
            }],
        },
    }, opts);
}

/** On our Gateway with TLS: every plain-HTTP request for our hosts is redirected to https (HTTP-01 routes are more specific and win). */
export function createHttpsRedirect(name: string, cfg: PlatformConfig, routes: WebRoute[], opts: pulumi.CustomResourceOptions): k8s.apiextensions.CustomResource {
    const gw = gatewayRef(cfg);
    return new k8s.apiextensions.CustomResource(name, {
        apiVersion: GATEWAY_API,
        kind: "HTTPRoute",
        metadata: objectMeta(cfg, "gateway", `${gw.name}-https-redirect`),
        spec: {
            parentRefs: [{ group: GATEWAY_GROUP, kind: "Gateway", name: gw.name, namespace: gw.namespace, sectionName: HTTP_LISTENER }],
            hostnames: routes.map((r) => r.host),
            rules: [{ filters: [{ type: "RequestRedirect", requestRedirect: { scheme: "https", statusCode: 301 } }] }],
        },
    }, opts);
}
