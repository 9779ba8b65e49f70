// What each supported ingress controller needs to pass a bot upload to the api. the0's CLI posts
// a custom-bot ZIP (the0 speaks of up to 200 MB) in one multipart request straight to the api host;
// the api (Node 20) sets no size limit of its own but ends any request after 300 s, upload included.
import { IngressControllerKind, PlatformConfig } from "../config/types";

/** The body size the ingress lets through: 200 MB plus the multipart envelope, rounded up. */
export const UPLOAD_BODY_LIMIT = "256m";

/**
 * Annotations per controller. ingress-nginx and F5 NGINX refuse bodies over 1 MiB by default and
 * cut a response after 60 s idle; both buffer the body first (left on: a slow client then costs
 * the controller time, not the api's 300 s), so the api receives it at cluster speed. HAProxy
 * (haproxytech) sets no body limit but a 50 s server timeout. Traefik sets no body limit; its 60 s
 * entry-point read timeout is static config (docs/kubernetes-deployment.md). "other" gets none.
 */
const UPLOAD_ANNOTATIONS: Record<IngressControllerKind, (timeoutSeconds: number) => Record<string, string>> = {
    "ingress-nginx": (t) => ({
        "nginx.ingress.kubernetes.io/proxy-body-size": UPLOAD_BODY_LIMIT,
        "nginx.ingress.kubernetes.io/proxy-read-timeout": `${t}`,
        "nginx.ingress.kubernetes.io/proxy-send-timeout": `${t}`,
    }),
    nginx: (t) => ({
        "nginx.org/client-max-body-size": UPLOAD_BODY_LIMIT,
        "nginx.org/proxy-read-timeout": `${t}s`,
        "nginx.org/proxy-send-timeout": `${t}s`,
    }),
    haproxy: (t) => ({ "haproxy.org/timeout-server": `${t}s` }),
    traefik: () => ({}),
    other: () => ({}),
};

/** The upload annotations for the configured controller. */
export function uploadAnnotations(cfg: PlatformConfig): Record<string, string> {
    return UPLOAD_ANNOTATIONS[cfg.ingress.controllerKind](cfg.ingress.requestTimeoutSeconds);
}
