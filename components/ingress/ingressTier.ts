// Ingress and TLS: an Ingress per host (frontend, api, docs) with a certificate from a
// cert-manager ClusterIssuer. cert-manager is installed as a pinned helm.v3.Release (it has
// install hooks, which only Release runs) or taken as already installed; the issuer chain is a
// self-signed CA (minikube) or ACME HTTP-01 (cloud). The ingress controller is the Minikube addon,
// an existing one, or optionally a pinned ingress-nginx Release.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { catalogEntry } from "../model/catalog";
import { CERT_MANAGER_NAMESPACE } from "../config/profiles";
import { IngressHosts, PlatformConfig } from "../config/types";
import { foreignMeta, fullName, objectMeta } from "../k8s/meta";


const ACME_SERVERS = {
    "letsencrypt-staging": "https://acme-staging-v02.api.letsencrypt.org/directory",
    "letsencrypt-production": "https://acme-v02.api.letsencrypt.org/directory",
} as const;

/** Name of the ClusterIssuer that signs the Ingress certificates ("" when TLS is off). */
export function issuerName(cfg: PlatformConfig): string {
    switch (cfg.ingress.tlsIssuer) {
        case "selfSigned":
            return fullName(cfg, "ca");
        case "letsencrypt-staging":
        case "letsencrypt-production":
            return fullName(cfg, cfg.ingress.tlsIssuer);
        case "none":
            return "";
    }
}

export interface IngressTierArgs {
    config: PlatformConfig;
    /** The Services the Ingresses route to, by host. */
    backends: Partial<Record<keyof IngressHosts, k8s.core.v1.Service>>;
}

export class IngressTier extends pulumi.ComponentResource {
    readonly certManager?: k8s.helm.v3.Release;
    readonly controller?: k8s.helm.v3.Release;
    readonly issuer?: k8s.apiextensions.CustomResource;
    readonly ingresses: Partial<Record<keyof IngressHosts, k8s.networking.v1.Ingress>> = {};

    constructor(name: string, args: IngressTierArgs, opts?: pulumi.ComponentResourceOptions) {
        super("the0:ingress:IngressTier", name, {}, opts);
        const { config: cfg, backends } = args;
        const ing = cfg.ingress;
        const child = { parent: this };

        if (ing.controller === "install") {
            this.controller = new k8s.helm.v3.Release(`${name}-ingress-nginx`, {
                name: "ingress-nginx",
                chart: "ingress-nginx",
                version: ing.controllerChartVersion,
                repositoryOpts: { repo: "https://kubernetes.github.io/ingress-nginx" },
                namespace: ing.controllerNamespace,
                createNamespace: true,
                values: {
                    controller: {
                        ingressClassResource: { name: ing.className, default: false },
                        ingressClass: ing.className,
                        replicaCount: 2,
                        service: { type: "LoadBalancer" },
                    },
                },
            }, child);
        }

        const tls = ing.tlsIssuer !== "none";
        if (tls && ing.certManager === "install") {
            this.certManager = new k8s.helm.v3.Release(`${name}-cert-manager`, {
                name: "cert-manager",
                chart: "cert-manager",
                version: ing.certManagerChartVersion,
                repositoryOpts: { repo: "https://charts.jetstack.io" },
                namespace: CERT_MANAGER_NAMESPACE,
                createNamespace: true,
                // crds.keep leaves the CRDs (and so every Certificate) in place on uninstall.
                values: { crds: { enabled: true, keep: true } },
            }, child);
        }
        const afterCertManager = { parent: this, dependsOn: this.certManager ? [this.certManager] : [] };

        if (ing.tlsIssuer === "selfSigned") {
            // Self-signed bootstrap issuer -> a CA certificate -> a CA ClusterIssuer (cert-manager docs).
            const bootstrap = new k8s.apiextensions.CustomResource(`${name}-selfsigned`, {
                apiVersion: "cert-manager.io/v1",
                kind: "ClusterIssuer",
                metadata: foreignMeta(cfg, "ingress", fullName(cfg, "selfsigned")),
                spec: { selfSigned: {} },
            }, afterCertManager);
            const caSecret = fullName(cfg, "root-ca");
            const ca = new k8s.apiextensions.CustomResource(`${name}-root-ca`, {
                apiVersion: "cert-manager.io/v1",
                kind: "Certificate",
                // A ClusterIssuer reads its CA Secret from cert-manager's cluster-resource namespace.
                metadata: foreignMeta(cfg, "ingress", caSecret, CERT_MANAGER_NAMESPACE),
                spec: {
                    isCA: true,
                    commonName: `${cfg.instanceName} ${cfg.stack} CA`,
                    secretName: caSecret,
                    duration: "87600h",
                    privateKey: { algorithm: "ECDSA", size: 256 },
                    issuerRef: { name: bootstrap.metadata.name, kind: "ClusterIssuer", group: "cert-manager.io" },
                },
            }, afterCertManager);
            this.issuer = new k8s.apiextensions.CustomResource(`${name}-ca`, {
                apiVersion: "cert-manager.io/v1",
                kind: "ClusterIssuer",
                metadata: foreignMeta(cfg, "ingress", issuerName(cfg)),
                spec: { ca: { secretName: caSecret } },
            }, { parent: this, dependsOn: [ca, ...afterCertManager.dependsOn] });
        } else if (ing.tlsIssuer === "letsencrypt-staging" || ing.tlsIssuer === "letsencrypt-production") {
            this.issuer = new k8s.apiextensions.CustomResource(`${name}-acme`, {
                apiVersion: "cert-manager.io/v1",
                kind: "ClusterIssuer",
                metadata: foreignMeta(cfg, "ingress", issuerName(cfg)),
                spec: {
                    acme: {
                        server: ACME_SERVERS[ing.tlsIssuer],
                        email: ing.acmeEmail,
                        privateKeySecretRef: { name: `${issuerName(cfg)}-account-key` },
                        solvers: [{ http01: { ingress: { ingressClassName: ing.className } } }],
                    },
                },
            }, afterCertManager);
        }

        for (const host of ["frontend", "api", "docs"] as const) {
            const backend = backends[host];
            if (!backend || ing.hosts[host] === "") continue;
            const entry = catalogEntry(host);
            const port = entry.ports.find((p) => p.exposed)!;
            const objName = fullName(cfg, entry.component);
            const tlsSecret = `${objName}-tls`;
            this.ingresses[host] = new k8s.networking.v1.Ingress(objName, {
                metadata: objectMeta(cfg, entry.component, objName, tls ? { "cert-manager.io/cluster-issuer": issuerName(cfg) } : {}),
                spec: {
                    ingressClassName: ing.className,
                    tls: tls ? [{ hosts: [ing.hosts[host]], secretName: tlsSecret }] : undefined,
                    rules: [{
                        host: ing.hosts[host],
                        http: {
                            paths: [{
                                path: "/",
                                pathType: "Prefix",
                                backend: { service: { name: backend.metadata.name, port: { number: port.containerPort } } },
                            }],
                        },
                    }],
                },
            }, { parent: this, dependsOn: [...(this.issuer ? [this.issuer] : []), ...(this.controller ? [this.controller] : [])] });
        }
        this.registerOutputs({});
    }
}
