// Ingress/cert-manager: Releases, issuer chain, per-host Ingresses with TLS, ordering.
import { expect } from "chai";
import { build, buildStack, cloudValues, Model, mockDelays, T, unwrap } from "../tools/render/render";

describe("ingress and TLS", () => {
    let m: Model;
    before(async () => { m = await buildStack("staging"); });

    it("installs cert-manager as a pinned helm.v3.Release with its CRDs", () => {
        const release = unwrap(m.ofType(T.Release)[0].inputs);
        expect(release).to.deep.include({ chart: "cert-manager", version: "v1.21.1", namespace: "cert-manager", createNamespace: true });
        expect(release.repositoryOpts.repo).to.equal("https://charts.jetstack.io");
        expect(release.values.crds).to.deep.equal({ enabled: true, keep: true });
    });

    it("creates an Ingress per host with TLS from the ClusterIssuer", () => {
        const ingresses = m.ofType(T.Ingress).map((r) => unwrap(r.inputs));
        const byHost = Object.fromEntries(ingresses.map((i) => [i.spec.rules[0].host, i]));
        expect(Object.keys(byHost).sort()).to.deep.equal(["api.staging.the0.example.com", "docs.staging.the0.example.com", "staging.the0.example.com"]);
        const api = byHost["api.staging.the0.example.com"];
        expect(api.metadata.annotations["cert-manager.io/cluster-issuer"]).to.equal("the0-letsencrypt-staging");
        expect(api.spec.ingressClassName).to.equal("nginx");
        expect(api.spec.tls).to.deep.equal([{ hosts: ["api.staging.the0.example.com"], secretName: "the0-api-tls" }]);
        expect(api.spec.rules[0].http.paths[0]).to.deep.equal({ path: "/", pathType: "Prefix", backend: { service: { name: "the0-api", port: { number: 3000 } } } });
        expect(byHost["docs.staging.the0.example.com"].spec.rules[0].http.paths[0].backend.service).to.deep.equal({ name: "the0-docs", port: { number: 8080 } });
        expect(byHost["staging.the0.example.com"].spec.rules[0].http.paths[0].backend.service.name).to.equal("the0-frontend");
    });

    it("registers the issuer only after cert-manager is installed", async () => {
        mockDelays[T.Release] = 50;
        try {
            const mm = await build(cloudValues());
            const release = mm.ofType(T.Release)[0];
            const issuer = mm.ofType(T.ClusterIssuer)[0];
            expect(issuer.seen).to.be.greaterThan(release.done);
            for (const ingress of mm.ofType(T.Ingress)) expect(ingress.seen).to.be.greaterThan(issuer.done);
        } finally {
            delete mockDelays[T.Release];
        }
    });

    it("installs a pinned ingress-nginx when asked", async () => {
        const mm = await build(cloudValues({ ingress: JSON.stringify({ acmeEmail: "ops@the0.example.com", controller: "install" }) }));
        const nginx = mm.ofType(T.Release).map((r) => unwrap(r.inputs)).find((r) => r.chart === "ingress-nginx");
        expect(nginx).to.deep.include({ version: "4.15.1", namespace: "ingress-nginx" });
        expect(nginx.values.controller.ingressClassResource.name).to.equal("nginx");
    });

    it("takes an existing cert-manager and can turn TLS or Ingress off", async () => {
        const existing = await build(cloudValues({ ingress: JSON.stringify({ acmeEmail: "ops@the0.example.com", certManager: "existing" }) }));
        expect(existing.ofType(T.Release)).to.have.length(0);
        expect(existing.ofType(T.ClusterIssuer)).to.have.length(1);

        const noTls = await build({ ingress: JSON.stringify({ tlsIssuer: "none" }) });
        expect(noTls.ofType(T.Release)).to.have.length(0);
        expect(noTls.ofType(T.ClusterIssuer)).to.have.length(0);
        expect(unwrap(noTls.ofType(T.Ingress)[0].inputs).spec.tls).to.equal(undefined);

        const off = await build({ ingress: JSON.stringify({ enabled: false }) });
        expect(off.ofType(T.Ingress)).to.have.length(0);
        expect(off.ofType(T.Release)).to.have.length(0);
    });

    it("keeps the dev CA's Certificate in cert-manager's namespace", async () => {
        const dev = await buildStack("dev");
        const cert = unwrap(dev.object(T.Certificate, "the0-root-ca").inputs);
        expect(cert.metadata.namespace).to.equal("cert-manager");
        expect(cert.spec.issuerRef).to.deep.equal({ name: "the0-selfsigned", kind: "ClusterIssuer", group: "cert-manager.io" });
        expect(unwrap(dev.ofType(T.Ingress)[0].inputs).metadata.annotations["cert-manager.io/cluster-issuer"]).to.equal("the0-ca");
    });
});
