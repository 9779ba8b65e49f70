// Ways in and TLS: Ingress per host (annotations for uploads), Gateway API (our Gateway or an
// existing one, HTTPRoutes), namespaced issuers, ordering, and nothing cluster-wide of ours.
import { expect } from "chai";
import { build, buildStack, cloudValues, Model, mockDelays, T, unwrap } from "../tools/render/render";

const STAGING_HOSTS = ["api.staging.the0.example.com", "docs.staging.the0.example.com", "staging.the0.example.com"];
const ingress = (fields: Record<string, unknown>) => ({ ingress: JSON.stringify({ acmeEmail: "ops@the0.example.com", ...fields }) });

function byName(m: Model, type: string): Record<string, any> {
    return Object.fromEntries(m.ofType(type).map((r) => { const v = unwrap(r.inputs); return [v.metadata.name, v]; }));
}

describe("ingress and TLS: Gateway API (the cloud default)", () => {
    let m: Model;
    before(async () => { m = await buildStack("staging"); });

    it("creates the stack's own Gateway for Envoy Gateway's class, an HTTPS listener per host with its certificate Secret", () => {
        const gateway = unwrap(m.object(T.Gateway, "the0").inputs);
        expect(gateway.metadata.namespace).to.equal("the0");
        expect(gateway.metadata.annotations["cert-manager.io/issuer"]).to.equal("the0-letsencrypt-staging");
        expect(gateway.spec.gatewayClassName).to.equal("eg");
        const listeners = Object.fromEntries(gateway.spec.listeners.map((l: any) => [l.name, l]));
        expect(Object.keys(listeners)).to.deep.equal(["http", "https-frontend", "https-api", "https-docs"]);
        expect(listeners.http).to.deep.equal({ name: "http", port: 80, protocol: "HTTP", allowedRoutes: { namespaces: { from: "Same" } } });
        expect(listeners["https-api"]).to.deep.equal({
            name: "https-api", hostname: "api.staging.the0.example.com", port: 443, protocol: "HTTPS",
            tls: { mode: "Terminate", certificateRefs: [{ group: "", kind: "Secret", name: "the0-api-tls" }] },
            allowedRoutes: { namespaces: { from: "Same" } },
        });
    });

    it("routes each host on its HTTPS listener; the api's route allows a slow 200 MB upload", () => {
        const routes = byName(m, T.HTTPRoute);
        expect(Object.keys(routes).sort()).to.deep.equal(["the0-api", "the0-docs", "the0-frontend", "the0-https-redirect"]);
        const api = routes["the0-api"];
        expect(api.spec.parentRefs).to.deep.equal([{ group: "gateway.networking.k8s.io", kind: "Gateway", name: "the0", namespace: "the0", sectionName: "https-api" }]);
        expect(api.spec.hostnames).to.deep.equal(["api.staging.the0.example.com"]);
        expect(api.spec.rules).to.deep.equal([{
            matches: [{ path: { type: "PathPrefix", value: "/" } }],
            backendRefs: [{ group: "", kind: "Service", name: "the0-api", port: 3000 }],
            timeouts: { request: "300s" },
        }]);
        // The frontend relays server-sent events: Envoy's 15 s default would end them.
        expect(routes["the0-frontend"].spec.rules[0].timeouts).to.deep.equal({ request: "0s" });
        expect(routes["the0-docs"].spec.rules[0].timeouts).to.equal(undefined);
        expect(routes["the0-docs"].spec.rules[0].backendRefs[0]).to.deep.include({ name: "the0-docs", port: 8080 });
        expect(routes["the0-docs"].spec.parentRefs[0].sectionName).to.equal("https-docs");
    });

    it("redirects plain HTTP to https and leaves the HTTP listener to redirects and HTTP-01", () => {
        const redirect = byName(m, T.HTTPRoute)["the0-https-redirect"];
        expect(redirect.spec.parentRefs[0].sectionName).to.equal("http");
        expect(redirect.spec.hostnames.sort()).to.deep.equal(STAGING_HOSTS);
        expect(redirect.spec.rules).to.deep.equal([{ filters: [{ type: "RequestRedirect", requestRedirect: { scheme: "https", statusCode: 301 } }] }]);
        expect(redirect.spec.rules[0].backendRefs).to.equal(undefined);
    });

    it("signs with a namespaced Let's Encrypt Issuer that answers HTTP-01 through the Gateway", () => {
        const issuer = unwrap(m.object(T.Issuer, "the0-letsencrypt-staging").inputs);
        expect(issuer.metadata.namespace).to.equal("the0");
        expect(issuer.spec.acme).to.deep.include({ server: "https://acme-staging-v02.api.letsencrypt.org/directory", email: "ops@the0.example.com" });
        expect(issuer.spec.acme.privateKeySecretRef).to.deep.equal({ name: "the0-letsencrypt-staging-account-key" });
        expect(issuer.spec.acme.solvers).to.deep.equal([{ http01: { gatewayHTTPRoute: { parentRefs: [{ group: "gateway.networking.k8s.io", kind: "Gateway", name: "the0", namespace: "the0", sectionName: "http" }] } } }]);
    });

    it("owns nothing cluster-wide that another stack could need: no Release, ClusterIssuer, GatewayClass or Ingress", () => {
        for (const type of [T.Release, T.ClusterIssuer, T.GatewayClass, T.Ingress]) expect(m.ofType(type), type).to.have.length(0);
    });

    it("registers the Gateway after the Issuer, and the routes after the Gateway", async () => {
        mockDelays[T.Issuer] = 50;
        try {
            const mm = await build(cloudValues());
            const issuer = mm.ofType(T.Issuer)[0];
            const gateway = mm.ofType(T.Gateway)[0];
            expect(gateway.seen).to.be.greaterThan(issuer.done);
            for (const route of mm.ofType(T.HTTPRoute)) expect(route.seen).to.be.greaterThan(gateway.done);
        } finally {
            delete mockDelays[T.Issuer];
        }
    });

    it("attaches to an existing Gateway's HTTPS listener, creating no Gateway and no issuer", async () => {
        const mm = await build(cloudValues(ingress({ tlsIssuer: "none", gateway: { create: false, name: "shared", namespace: "gateways", sectionName: "https" } })));
        expect(mm.ofType(T.Gateway)).to.have.length(0);
        expect(mm.ofType(T.Issuer)).to.have.length(0);
        const routes = byName(mm, T.HTTPRoute);
        expect(Object.keys(routes).sort()).to.deep.equal(["the0-api", "the0-docs", "the0-frontend"]);
        expect(routes["the0-api"].spec.parentRefs).to.deep.equal([{ group: "gateway.networking.k8s.io", kind: "Gateway", name: "shared", namespace: "gateways", sectionName: "https" }]);
        expect(mm.config.ingress.hosts.api).to.equal("api.the0.example.com");
        expect(mm.platform.outputs.urls.api).to.equal("https://api.the0.example.com");
    });

    it("uses a ClusterIssuer the cluster has without creating one", async () => {
        const mm = await build(cloudValues(ingress({ tlsIssuer: "clusterIssuer", clusterIssuer: "letsencrypt" })));
        expect(mm.ofType(T.Issuer)).to.have.length(0);
        expect(mm.ofType(T.ClusterIssuer)).to.have.length(0);
        expect(unwrap(mm.ofType(T.Gateway)[0].inputs).metadata.annotations["cert-manager.io/cluster-issuer"]).to.equal("letsencrypt");
    });

    it("without TLS serves the routes on the HTTP listener and redirects nothing", async () => {
        const mm = await build(cloudValues(ingress({ tlsIssuer: "none" })));
        const gateway = unwrap(mm.ofType(T.Gateway)[0].inputs);
        expect(gateway.spec.listeners.map((l: any) => l.name)).to.deep.equal(["http"]);
        expect(gateway.metadata.annotations["cert-manager.io/issuer"]).to.equal(undefined);
        const routes = byName(mm, T.HTTPRoute);
        expect(Object.keys(routes).sort()).to.deep.equal(["the0-api", "the0-docs", "the0-frontend"]);
        expect(routes["the0-api"].spec.parentRefs[0].sectionName).to.equal("http");
    });
});

describe("ingress and TLS: Ingress (the minikube default)", () => {
    let dev: Model;
    before(async () => { dev = await buildStack("dev"); });

    it("creates an Ingress per host for the IngressClass, with TLS from the namespaced CA Issuer", () => {
        const ingresses = byName(dev, T.Ingress);
        expect(Object.keys(ingresses).sort()).to.deep.equal(["the0-api", "the0-docs", "the0-frontend"]);
        const api = ingresses["the0-api"];
        expect(api.metadata.annotations["cert-manager.io/issuer"]).to.equal("the0-ca");
        expect(api.metadata.annotations["cert-manager.io/cluster-issuer"]).to.equal(undefined);
        expect(api.spec.ingressClassName).to.equal("nginx");
        expect(api.spec.tls).to.deep.equal([{ hosts: ["api.the0.local"], secretName: "the0-api-tls" }]);
        expect(api.spec.rules[0].http.paths[0]).to.deep.equal({ path: "/", pathType: "Prefix", backend: { service: { name: "the0-api", port: { number: 3000 } } } });
        expect(ingresses["the0-frontend"].spec.rules[0].http.paths[0].backend.service.name).to.equal("the0-frontend");
    });

    it("lets a 200 MB upload through ingress-nginx to the api only, with five-minute timeouts", () => {
        const ingresses = byName(dev, T.Ingress);
        expect(ingresses["the0-api"].metadata.annotations).to.deep.include({
            "nginx.ingress.kubernetes.io/proxy-body-size": "256m",
            "nginx.ingress.kubernetes.io/proxy-read-timeout": "300",
            "nginx.ingress.kubernetes.io/proxy-send-timeout": "300",
        });
        const frontend = Object.keys(ingresses["the0-frontend"].metadata.annotations);
        expect(frontend.filter((a) => a.startsWith("nginx.ingress.kubernetes.io/"))).to.deep.equal([]);
        // Buffered (the default): the api's own 300 s request limit then never sees a slow client.
        expect(ingresses["the0-api"].metadata.annotations["nginx.ingress.kubernetes.io/proxy-request-buffering"]).to.equal(undefined);
    });

    it("builds the self-signed chain in the stack's namespace: root Issuer, CA Certificate, CA Issuer", () => {
        const issuers = byName(dev, T.Issuer);
        expect(Object.keys(issuers).sort()).to.deep.equal(["the0-ca", "the0-selfsigned"]);
        expect(issuers["the0-selfsigned"].spec).to.deep.equal({ selfSigned: {} });
        expect(issuers["the0-ca"].spec).to.deep.equal({ ca: { secretName: "the0-root-ca" } });
        const cert = unwrap(dev.object(T.Certificate, "the0-root-ca").inputs);
        expect(cert.metadata.namespace).to.equal("the0");
        expect(cert.spec).to.deep.include({ isCA: true, secretName: "the0-root-ca" });
        expect(cert.spec.issuerRef).to.deep.equal({ name: "the0-selfsigned", kind: "Issuer", group: "cert-manager.io" });
        for (const type of [T.Release, T.ClusterIssuer]) expect(dev.ofType(type), type).to.have.length(0);
    });

    it("sets each supported controller's own upload annotations, and the user's win", async () => {
        const f5 = await build(cloudValues(ingress({ mode: "ingress", controllerKind: "nginx", controllerNamespace: "nginx-ingress", requestTimeoutSeconds: 600 })));
        const api = byName(f5, T.Ingress)["the0-api"].metadata.annotations;
        expect(api).to.deep.include({ "nginx.org/client-max-body-size": "256m", "nginx.org/proxy-read-timeout": "600s", "nginx.org/proxy-send-timeout": "600s" });

        const traefik = await build(cloudValues(ingress({ mode: "ingress", className: "traefik", controllerKind: "traefik", controllerNamespace: "traefik" })));
        const plain = byName(traefik, T.Ingress)["the0-api"].metadata.annotations;
        expect(Object.keys(plain).filter((a) => !a.startsWith("pulumi.com/"))).to.deep.equal(["cert-manager.io/issuer"]);

        const mine = await build(cloudValues(ingress({
            mode: "ingress", controllerKind: "ingress-nginx", controllerNamespace: "ingress-nginx",
            annotations: { "example.com/team": "trading" },
            hostAnnotations: { api: { "nginx.ingress.kubernetes.io/proxy-body-size": "512m" }, docs: { "example.com/public": "yes" } },
        })));
        const ing = byName(mine, T.Ingress);
        expect(ing["the0-api"].metadata.annotations).to.deep.include({ "nginx.ingress.kubernetes.io/proxy-body-size": "512m", "example.com/team": "trading" });
        expect(ing["the0-docs"].metadata.annotations).to.deep.include({ "example.com/public": "yes", "example.com/team": "trading" });
        expect(ing["the0-frontend"].metadata.annotations["example.com/public"]).to.equal(undefined);
    });

    it("registers the Ingresses after their Issuer; without TLS or with ingress off there is none", async () => {
        mockDelays[T.Issuer] = 50;
        try {
            const mm = await build({});
            const ca = mm.object(T.Issuer, "the0-ca");
            for (const ing of mm.ofType(T.Ingress)) expect(ing.seen).to.be.greaterThan(ca.done);
        } finally {
            delete mockDelays[T.Issuer];
        }
        const noTls = await build({ ingress: JSON.stringify({ tlsIssuer: "none" }) });
        expect(noTls.ofType(T.Issuer)).to.have.length(0);
        expect(unwrap(noTls.ofType(T.Ingress)[0].inputs).spec.tls).to.equal(undefined);
        const off = await build({ ingress: JSON.stringify({ enabled: false }) });
        expect(off.ofType(T.Ingress)).to.have.length(0);
        expect(off.ofType(T.HTTPRoute)).to.have.length(0);
    });
});

describe("the dns output: where a user points DNS", () => {
    it("gateway mode: the command that prints the Gateway's address; nothing exposed: says so", async () => {
        const staging = await buildStack("staging");
        const dns = staging.platform.outputs.dns;
        if (dns === "not exposed") throw new Error("staging is exposed");
        expect(dns.hosts).to.deep.equal(["staging.the0.example.com", "api.staging.the0.example.com", "docs.staging.the0.example.com"]);
        expect(dns.pointAt).to.equal("the Gateway's address: kubectl -n the0 get gateway the0 -o jsonpath='{.status.addresses[0].value}'");
        const hidden = await build({ ingress: JSON.stringify({ enabled: false }), nodePorts: JSON.stringify({ enabled: false }) });
        expect(hidden.platform.outputs.dns).to.equal("not exposed");
    });
});
