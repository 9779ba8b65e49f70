// Who signs the0's certificates. Every issuer this stack creates is namespaced (an Issuer in the
// stack's namespace), so two stacks on one cluster never share or delete each other's; a
// ClusterIssuer is only ever referenced (the cluster-addons project or the cluster owns it).
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { PlatformConfig } from "../config/types";
import { fullName, objectMeta } from "../k8s/meta";

const ACME_SERVERS = {
    "letsencrypt-staging": "https://acme-staging-v02.api.letsencrypt.org/directory",
    "letsencrypt-production": "https://acme-v02.api.letsencrypt.org/directory",
} as const;

/** The plain-HTTP listener of our Gateway: HTTP-01 challenges and the redirect to https. */
export const HTTP_LISTENER = "http";

export interface IssuerRef {
    kind: "Issuer" | "ClusterIssuer";
    name: string;
}

/** The issuer that signs the web certificates, or undefined when TLS is off or not ours to ask for. */
export function issuerRef(cfg: PlatformConfig): IssuerRef | undefined {
    const ing = cfg.ingress;
    switch (ing.tlsIssuer) {
        case "none":
            return undefined;
        case "clusterIssuer":
            return { kind: "ClusterIssuer", name: ing.clusterIssuer };
        case "selfSigned":
            return { kind: "Issuer", name: fullName(cfg, "ca") };
        case "letsencrypt-staging":
        case "letsencrypt-production":
            return { kind: "Issuer", name: fullName(cfg, ing.tlsIssuer) };
    }
}

/** The annotation cert-manager's ingress-shim and gateway-shim read to issue a certificate. */
export function issuerAnnotation(ref: IssuerRef): Record<string, string> {
    return { [ref.kind === "Issuer" ? "cert-manager.io/issuer" : "cert-manager.io/cluster-issuer"]: ref.name };
}

export interface IssuerChainArgs {
    config: PlatformConfig;
    /** mode gateway: the Gateway whose HTTP listener carries HTTP-01 challenges. */
    gatewayName?: string;
}

/** The namespaced issuer chain: self-signed root -> CA Issuer, or a Let's Encrypt (ACME HTTP-01) Issuer. */
export class IssuerChain extends pulumi.ComponentResource {
    /** The Issuer the web certificates come from. */
    readonly issuer?: k8s.apiextensions.CustomResource;

    constructor(name: string, args: IssuerChainArgs, opts?: pulumi.ComponentResourceOptions) {
        super("the0:ingress:IssuerChain", name, {}, opts);
        const { config: cfg } = args;
        const ing = cfg.ingress;
        const ref = issuerRef(cfg);
        const child = { parent: this };

        if (ing.tlsIssuer === "selfSigned" && ref) {
            // cert-manager's CA pattern: a self-signed Issuer signs one CA certificate, whose Secret a CA Issuer signs with.
            const bootstrap = new k8s.apiextensions.CustomResource(`${name}-selfsigned`, {
                apiVersion: "cert-manager.io/v1",
                kind: "Issuer",
                metadata: objectMeta(cfg, "ingress", fullName(cfg, "selfsigned")),
                spec: { selfSigned: {} },
            }, child);
            const caSecret = fullName(cfg, "root-ca");
            const ca = new k8s.apiextensions.CustomResource(`${name}-root-ca`, {
                apiVersion: "cert-manager.io/v1",
                kind: "Certificate",
                metadata: objectMeta(cfg, "ingress", caSecret),
                spec: {
                    isCA: true,
                    commonName: `${cfg.instanceName} ${cfg.stack} CA`,
                    secretName: caSecret,
                    duration: "87600h",
                    privateKey: { algorithm: "ECDSA", size: 256 },
                    issuerRef: { name: bootstrap.metadata.name, kind: "Issuer", group: "cert-manager.io" },
                },
            }, child);
            this.issuer = new k8s.apiextensions.CustomResource(`${name}-ca`, {
                apiVersion: "cert-manager.io/v1",
                kind: "Issuer",
                metadata: objectMeta(cfg, "ingress", ref.name),
                spec: { ca: { secretName: caSecret } },
            }, { parent: this, dependsOn: [ca] });
        } else if ((ing.tlsIssuer === "letsencrypt-staging" || ing.tlsIssuer === "letsencrypt-production") && ref) {
            this.issuer = new k8s.apiextensions.CustomResource(`${name}-acme`, {
                apiVersion: "cert-manager.io/v1",
                kind: "Issuer",
                metadata: objectMeta(cfg, "ingress", ref.name),
                spec: {
                    acme: {
                        server: ACME_SERVERS[ing.tlsIssuer],
                        email: ing.acmeEmail,
                        privateKeySecretRef: { name: `${ref.name}-account-key` },
                        solvers: [{ http01: acmeSolver(cfg, args.gatewayName) }],
                    },
                },
            }, child);
        }
        this.registerOutputs({});
    }
}

/** HTTP-01 through the IngressClass, or through an HTTPRoute cert-manager attaches to our Gateway's HTTP listener. */
function acmeSolver(cfg: PlatformConfig, gatewayName: string | undefined): Record<string, unknown> {
    if (cfg.ingress.mode === "gateway" && gatewayName) {
        return { gatewayHTTPRoute: { parentRefs: [{ group: "gateway.networking.k8s.io", kind: "Gateway", name: gatewayName, namespace: cfg.kubernetes.namespace, sectionName: HTTP_LISTENER }] } };
    }
    return { ingress: { ingressClassName: cfg.ingress.className } };
}
