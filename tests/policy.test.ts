// The CrossGuard pack's rules: every stack passes with zero violations; broken resources trip each rule.
import { expect } from "chai";
import { readFileSync } from "fs";
import { join } from "path";
import { PolicyConfig, Resource, RULES } from "../policy/rules";
import { buildStack, Model, unwrap } from "../tools/render/render";

function violations(resources: Resource[], cfg: PolicyConfig): string[] {
    const found: string[] = [];
    for (const rule of RULES) {
        const report = (message: string) => found.push(`${rule.name}: ${message}`);
        if (rule.check) for (const r of resources) rule.check(r, cfg, report);
        if (rule.checkStack) rule.checkStack(resources, cfg, report);
    }
    return found;
}

function resourcesOf(m: Model): Resource[] {
    return m.resources.filter((r) => r.custom).map((r) => ({ type: r.type, name: r.name, props: unwrap(r.inputs) }));
}

/** The per-stack pack config the workflows pass with --policy-pack-config. */
function packConfig(stack: string): Record<string, PolicyConfig> {
    return JSON.parse(readFileSync(join(__dirname, "..", "policy", "config", `${stack}.json`), "utf8"));
}

describe("policy pack on the committed stacks", () => {
    for (const stack of ["dev", "staging", "production"]) {
        it(`${stack}: zero violations with policy/config/${stack}.json`, async () => {
            const config = packConfig(stack);
            expect(Object.keys(config).sort()).to.deep.equal(RULES.map((r) => r.name).sort());
            const cfg = config[RULES[0].name];
            for (const rule of RULES) expect(config[rule.name]).to.deep.equal(cfg);
            const m = await buildStack(stack);
            expect(cfg).to.deep.equal({ profile: m.config.profile, protectDataVolumes: m.config.protectDataVolumes });
            expect(violations(resourcesOf(m), cfg)).to.deep.equal([]);
        });
    }
});

describe("policy pack on broken resources", () => {
    const good = {
        name: "app",
        image: "ghcr.io/example/app:1.0.0",
        resources: { requests: { cpu: "100m", memory: "64Mi" }, limits: { cpu: "200m", memory: "128Mi" } },
        securityContext: { runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, seccompProfile: { type: "RuntimeDefault" } },
    };
    const deployment = (container: Record<string, unknown>, extra: Record<string, unknown> = {}): Resource => ({
        type: "kubernetes:apps/v1:Deployment",
        name: "broken",
        props: { metadata: { name: "broken" }, spec: { replicas: 1, template: { metadata: { labels: { app: "broken" } }, spec: { containers: [{ ...good, ...container }] } }, ...extra } },
    });
    const cloud: PolicyConfig = { profile: "cloud", protectDataVolumes: true };
    const HTTP_LISTENER = { name: "http", port: 80, protocol: "HTTP" };
    const HTTPS_API = { name: "https-api", hostname: "api.the0.example.com", port: 443, protocol: "HTTPS", tls: { mode: "Terminate", certificateRefs: [{ kind: "Secret", name: "the0-api-tls" }] } };
    const gateway = (listeners: unknown[]): Resource => ({ type: "kubernetes:gateway.networking.k8s.io/v1:Gateway", name: "gw", props: { metadata: { name: "the0", namespace: "the0" }, spec: { gatewayClassName: "eg", listeners } } });
    const route = (parent: Record<string, unknown>, hostnames = ["api.the0.example.com"]): Resource => ({
        type: "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute",
        name: "api",
        props: { metadata: { name: "the0-api", namespace: "the0" }, spec: { parentRefs: [{ name: "the0", ...parent }], hostnames, rules: [{ backendRefs: [{ name: "the0-api", port: 3000 }] }] } },
    });
    const tripped = (resources: Resource[], cfg = cloud) => [...new Set(violations(resources, cfg).map((v) => v.split(":")[0]))];

    it("a well-formed Deployment passes", () => {
        expect(violations([deployment({})], cloud)).to.deep.equal([]);
    });

    it("holds sidecars and init containers (exporters, backup dumps) to the same rules", () => {
        const withExtra = (where: "containers" | "initContainers", extra: Record<string, unknown>): Resource => {
            const d = deployment({});
            const pod = d.props.spec.template.spec;
            pod[where] = [...(pod[where] ?? []), { ...good, name: "extra", ...extra }];
            return d;
        };
        expect(violations([withExtra("containers", {})], cloud)).to.deep.equal([]);
        expect(tripped([withExtra("containers", { resources: { requests: { cpu: "10m", memory: "32Mi" } } })])).to.deep.equal(["containers-have-requests-and-limits"]);
        expect(tripped([withExtra("initContainers", { securityContext: { ...good.securityContext, readOnlyRootFilesystem: false } })])).to.deep.equal(["containers-are-hardened"]);
        expect(tripped([withExtra("containers", { image: "natsio/prometheus-nats-exporter:latest" })])).to.deep.equal(["images-are-pinned"]);
    });

    const cases: Array<[string, Resource[], string]> = [
        ["no limits", [deployment({ resources: { requests: { cpu: "1", memory: "1Gi" } } })], "containers-have-requests-and-limits"],
        ["writable root", [deployment({ securityContext: { ...good.securityContext, readOnlyRootFilesystem: false } })], "containers-are-hardened"],
        ["root user", [deployment({ securityContext: { ...good.securityContext, runAsNonRoot: false, runAsUser: 0 } })], "containers-are-hardened"],
        ["capabilities kept", [deployment({ securityContext: { ...good.securityContext, capabilities: {} } })], "containers-are-hardened"],
        ["privilege escalation", [deployment({ securityContext: { ...good.securityContext, allowPrivilegeEscalation: true } })], "containers-are-hardened"],
        ["no seccomp", [deployment({ securityContext: { ...good.securityContext, seccompProfile: undefined } })], "containers-are-hardened"],
        ["latest image", [deployment({ image: "ghcr.io/example/app:latest" })], "images-are-pinned"],
        ["untagged image", [deployment({ image: "registry.example.com:5000/app" })], "images-are-pinned"],
        ["load balancer", [{ type: "kubernetes:core/v1:Service", name: "lb", props: { metadata: { name: "lb" }, spec: { type: "LoadBalancer" } } }], "no-load-balancer-services"],
        ["replicas without PDB", [deployment({}, { replicas: 3 })], "replicated-workloads-have-pdbs"],
        ["listener without a certificate", [gateway([{ name: "https", hostname: "the0.example.com", port: 443, protocol: "HTTPS", tls: { mode: "Terminate", certificateRefs: [] } }])], "gateways-serve-only-tls"],
        ["app served on the HTTP listener", [gateway([HTTP_LISTENER]), route({ sectionName: "http" })], "gateways-serve-only-tls"],
        ["route on a foreign Gateway without a listener", [route({ name: "shared", namespace: "gateways" })], "gateways-serve-only-tls"],
        ["wildcard route", [route({ sectionName: "https-api" }, ["*.the0.example.com"]), gateway([HTTPS_API])], "routes-name-their-hosts"],
        ["route without hostnames", [route({ sectionName: "https-api" }, []), gateway([HTTPS_API])], "routes-name-their-hosts"],
        ["catch-all Ingress", [{ type: "kubernetes:networking.k8s.io/v1:Ingress", name: "web", props: { spec: { tls: [{ hosts: ["the0.example.com"] }], rules: [{ host: "the0.example.com" }], defaultBackend: { service: { name: "the0-frontend", port: { number: 3000 } } } } } }], "routes-name-their-hosts"],
        ["ingress without TLS", [{ type: "kubernetes:networking.k8s.io/v1:Ingress", name: "web", props: { spec: { rules: [{ host: "the0.example.com" }] } } }], "ingresses-use-tls"],
        ["password literal", [deployment({ env: [{ name: "DB_PASSWORD", value: "hunter2" }] })], "no-secrets-in-plain-config"],
        ["credentials in URL", [deployment({ env: [{ name: "DATABASE_URL", value: "postgresql://u:p@db:5432/x" }] })], "no-secrets-in-plain-config"],
        ["secret in ConfigMap", [{ type: "kubernetes:core/v1:ConfigMap", name: "cm", props: { data: { "jwt-secret": "abc" } } }], "no-secrets-in-plain-config"],
        ["volumes not retained", [{ type: "kubernetes:apps/v1:StatefulSet", name: "db", props: { spec: { replicas: 1, template: { spec: { containers: [good] } }, volumeClaimTemplates: [{}], persistentVolumeClaimRetentionPolicy: { whenDeleted: "Delete" } } } }], "data-volumes-protected"],
    ];
    for (const [title, resources, rule] of cases) {
        it(`${title} trips ${rule}`, () => expect(tripped(resources)).to.deep.equal([rule]));
    }

    it("covers every rule with a broken case", () => {
        expect([...new Set(cases.map((c) => c[2]))].sort()).to.deep.equal(RULES.map((r) => r.name).sort());
    });

    it("relaxes cloud-only rules on minikube", () => {
        expect(tripped([deployment({ image: "the0-api:latest" })], { profile: "minikube", protectDataVolumes: false })).to.deep.equal([]);
    });

    it("accepts a redirect-only route on the HTTP listener, and app routes on HTTPS listeners", () => {
        const redirect: Resource = {
            type: "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute", name: "redirect",
            props: { metadata: { name: "r", namespace: "the0" }, spec: { parentRefs: [{ name: "the0", sectionName: "http" }], hostnames: ["api.the0.example.com"], rules: [{ filters: [{ type: "RequestRedirect", requestRedirect: { scheme: "https", statusCode: 301 } }] }] } },
        };
        expect(violations([gateway([HTTP_LISTENER, HTTPS_API]), redirect, route({ sectionName: "https-api" })], cloud)).to.deep.equal([]);
        // A route without a section name attaches to every listener, the HTTP one included.
        expect(tripped([gateway([HTTP_LISTENER, HTTPS_API]), route({})])).to.deep.equal(["gateways-serve-only-tls"]);
    });

    it("accepts a PDB that selects the replicated pods", () => {
        const pdb: Resource = { type: "kubernetes:policy/v1:PodDisruptionBudget", name: "pdb", props: { spec: { selector: { matchLabels: { app: "broken" } } } } };
        expect(tripped([deployment({}, { replicas: 3 }), pdb])).to.deep.equal([]);
    });
});
