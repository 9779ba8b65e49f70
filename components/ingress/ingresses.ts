// mode ingress: an Ingress per host for the configured IngressClass, TLS from cert-manager's
// ingress-shim, and the annotations that let a bot upload through that controller.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { PlatformConfig } from "../config/types";
import { objectMeta } from "../k8s/meta";
import { issuerAnnotation, issuerRef } from "./issuers";
import { WebRoute } from "./routes";
import { uploadAnnotations } from "./uploads";

/** An Ingress's annotations, later ones winning: upload settings, the issuer, then the user's for all hosts and for this host. */
export function ingressAnnotations(cfg: PlatformConfig, route: WebRoute): Record<string, string> {
    const ref = issuerRef(cfg);
    return {
        ...(route.takesUploads ? uploadAnnotations(cfg) : {}),
        ...(ref ? issuerAnnotation(ref) : {}),
        ...cfg.ingress.annotations,
        ...cfg.ingress.hostAnnotations[route.service],
    };
}

export function createIngress(cfg: PlatformConfig, route: WebRoute, opts: pulumi.CustomResourceOptions): k8s.networking.v1.Ingress {
    const tls = issuerRef(cfg) !== undefined;
    return new k8s.networking.v1.Ingress(route.name, {
        metadata: objectMeta(cfg, route.component, route.name, ingressAnnotations(cfg, route)),
        spec: {
            ingressClassName: cfg.ingress.className,
            tls: tls ? [{ hosts: [route.host], secretName: route.tlsSecret }] : undefined,
            rules: [{
                host: route.host,
                http: {
                    paths: [{
                        path: "/",
                        pathType: "Prefix",
                        backend: { service: { name: route.backendName, port: { number: route.backendPort } } },
                    }],
                },
            }],
        },
    }, opts);
}
