// Catalog wiring: every value a service reads resolves to a real Service, port or Secret key,
// and every declared dependency is used; plus the platform-wide hardening invariants.
import { expect } from "chai";
import { CATALOG } from "../components/model/catalog";
import { build, buildStack, cloudValues, Model, podSpecOf, T, unwrap } from "../tools/render/render";

const WORKLOADS = [T.Deployment, T.StatefulSet, T.CronJob];

/** Every stack plus a config with everything optional switched on. */
async function allModels(): Promise<Array<[string, Model]>> {
    const everything = await build(
        {
            redis: JSON.stringify({ enabled: true }),
            apps: JSON.stringify({ aiAgent: { image: "ghcr.io/example/ai-agent:0.3.1" }, securityAnalyzer: { image: "ghcr.io/example/analyzer:0.2.0" } }),
        },
        { stack: "everything" },
    );
    return [["dev", await buildStack("dev")], ["staging", await buildStack("staging")], ["production", await buildStack("production")], ["everything", everything]];
}

describe("catalog wiring", () => {
    let models: Array<[string, Model]>;
    before(async () => { models = await allModels(); });

    it("every secretKeyRef names a key the app Secret (or the backup target's Secret) holds", () => {
        for (const [name, m] of models) {
            const secrets = new Map<string, string[]>([["the0-secrets", Object.keys(unwrap(m.object(T.Secret, "the0-secrets").inputs).stringData)]]);
            // The backup target's keys: in a Secret of ours, or in the one the stack names (backups.target.existingSecret).
            const target = m.config.backups.target;
            if (m.config.backups.enabled && target.kind === "s3") secrets.set(target.existingSecret || "the0-backup-target", ["access-key", "secret-key"]);
            for (const type of WORKLOADS) {
                for (const r of m.ofType(type)) {
                    const pod = podSpecOf(type, unwrap(r.inputs).spec);
                    for (const c of [...(pod.initContainers ?? []), ...pod.containers]) {
                        for (const e of c.env ?? []) {
                            const ref = e.valueFrom?.secretKeyRef;
                            if (!ref) continue;
                            expect([...secrets.keys()], `${name} ${r.name} ${c.name} ${e.name}`).to.include(ref.name);
                            expect(secrets.get(ref.name), `${name} ${r.name} ${c.name} ${e.name}`).to.include(ref.key);
                        }
                    }
                }
            }
        }
    });

    it("every in-cluster URL points at a Service of ours with that port", () => {
        for (const [name, m] of models) {
            const services = new Map(m.ofType(T.Service).map((s) => {
                const u = unwrap(s.inputs);
                return [u.metadata.name as string, (u.spec.ports as any[]).map((p) => p.port as number)];
            }));
            let checked = 0;
            for (const r of m.ofType(T.Deployment)) {
                const c = unwrap(r.inputs).spec.template.spec.containers[0];
                const values = [...(c.env ?? []).map((e: any) => e.value), ...(c.args ?? [])].filter((v): v is string => typeof v === "string");
                for (const v of values) {
                    const url = /^(?:--[a-z-]+=)?(?:https?:\/\/)?(the0-[a-z-]+):(\d+)$/.exec(v);
                    if (!url) continue;
                    checked++;
                    expect(services.get(url[1]), `${name} ${r.name}: ${v}`).to.include(Number(url[2]));
                }
            }
            // PostgreSQL, NATS and the bot-controller's query URL at least (production keeps its objects outside).
            expect(checked, name).to.be.at.least(2);
        }
    });

    it("every env var and argument of the catalog reaches its workload", () => {
        for (const [name, m] of models) {
            for (const entry of CATALOG) {
                if (!m.config.apps[entry.key].enabled) continue;
                const type = entry.workload === "CronJob" ? T.CronJob : T.Deployment;
                const env = m.env(type, `the0-${entry.component}`);
                for (const e of entry.env) {
                    if (e.when === "redis" && !m.config.redis.enabled) continue;
                    expect(env, `${name} ${entry.key}`).to.have.property(e.name);
                }
                const args = m.container(type, `the0-${entry.component}`).args ?? [];
                expect(args.map((a: string) => a.split("=")[0]), `${name} ${entry.key}`).to.deep.equal((entry.args ?? []).map((a) => a.flag));
            }
        }
    });

    it("each declared dependency is what the service's env actually uses, and nothing else", () => {
        const usesOf = (entry: (typeof CATALOG)[number]): Set<string> => {
            const uses = new Set<string>();
            for (const { from } of [...entry.env, ...(entry.args ?? [])]) {
                if ("secret" in from) {
                    if (from.secret === "database-url") uses.add("data:postgres");
                    if (from.secret === "mongo-url") uses.add("data:mongo");
                    if (from.secret === "nats-url") uses.add("data:nats");
                    if (from.secret === "redis-url") uses.add("data:redis");
                    if (from.secret.startsWith("minio-")) uses.add("data:objectStorage");
                }
                if ("objectStorage" in from) uses.add("data:objectStorage");
                if ("serviceUrl" in from) uses.add(`app:${from.serviceUrl.service}:${from.serviceUrl.port}`);
            }
            return uses;
        };
        for (const entry of CATALOG) {
            const declared = new Set(entry.dependsOn.map((d) => ("data" in d ? `data:${d.data}` : `app:${d.app}:${d.port}`)));
            expect([...usesOf(entry)].sort(), entry.key).to.deep.equal([...declared].sort());
        }
    });
});

describe("hardening invariants (every workload, every stack)", () => {
    let models: Array<[string, Model]>;
    before(async () => { models = await allModels(); });

    it("runs non-root with a read-only root, no capabilities, seccomp and resources", () => {
        for (const [name, m] of models) {
            for (const type of WORKLOADS) {
                for (const r of m.ofType(type)) {
                    const pod = podSpecOf(type, unwrap(r.inputs).spec);
                    const where = `${name} ${r.name}`;
                    expect(pod.securityContext, where).to.deep.include({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
                    for (const c of [...(pod.initContainers ?? []), ...pod.containers]) {
                        expect(c.securityContext, where).to.deep.include({
                            runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, privileged: false,
                            capabilities: { drop: ["ALL"] }, seccompProfile: { type: "RuntimeDefault" },
                        });
                        for (const k of ["requests", "limits"]) expect(Object.keys(c.resources[k]).sort(), where).to.deep.equal(["cpu", "memory"]);
                        expect(c.image, where).to.match(/(:[\w][\w.-]*|@sha256:[a-f0-9]{64})$/);
                        expect(c.image, where).to.not.match(/:latest$/);
                    }
                    const mountsToken = pod.automountServiceAccountToken !== false;
                    expect(mountsToken, where).to.equal(r.name.includes("bot-controller"));
                }
            }
        }
    });

    it("labels every object with the recommended labels", () => {
        for (const [name, m] of models) {
            for (const r of m.resources.filter((x) => x.type.startsWith("kubernetes:") && !x.type.includes("helm.sh"))) {
                const l = unwrap(r.inputs).metadata?.labels ?? {};
                for (const k of ["name", "instance", "component", "part-of", "managed-by"]) {
                    expect(l, `${name} ${r.type} ${r.name}`).to.have.property(`app.kubernetes.io/${k}`);
                }
            }
        }
    });

    it("lets no Service wait on Pulumi's endpoint settle (workload awaits prove readiness)", () => {
        for (const [name, m] of models) {
            for (const r of m.ofType(T.Service)) {
                expect(unwrap(r.inputs).metadata.annotations["pulumi.com/skipAwait"], `${name} ${r.name}`).to.equal("true");
            }
        }
    });

    it("enforces Pod Security Admission restricted on the namespace", async () => {
        const m = await build(cloudValues());
        expect(unwrap(m.ofType(T.Namespace)[0].inputs).metadata.labels).to.include({
            "pod-security.kubernetes.io/enforce": "restricted",
            "pod-security.kubernetes.io/warn": "restricted",
        });
    });

    it("hands one explicit provider to every Kubernetes resource", () => {
        for (const [name, m] of models) {
            expect(m.ofType(T.Provider), name).to.have.length(1);
            const kube = m.resources.filter((r) => r.custom && r.type.startsWith("kubernetes:"));
            expect(kube.length, name).to.be.greaterThan(20);
            for (const r of kube) expect(r.provider, `${name} ${r.type} ${r.name}`).to.match(/pulumi:providers:kubernetes::the0-k8s::/);
        }
    });

    it("applies every object it owns as one stable field manager per stack, forcing over hand edits", () => {
        for (const [name, m] of models) {
            // A Helm release is installed by Helm, not by server-side apply.
            const owned = m.resources.filter((r) => r.custom && r.type.startsWith("kubernetes:") && r.type !== T.Release);
            for (const r of owned) {
                const annotations = unwrap(r.inputs).metadata?.annotations ?? {};
                expect(annotations["pulumi.com/patchFieldManager"], `${name} ${r.type} ${r.name}`).to.equal(`pulumi-the0-infra-${m.config.stack}`);
                expect(annotations["pulumi.com/patchForce"], `${name} ${r.type} ${r.name}`).to.equal("true");
            }
        }
    });
});
