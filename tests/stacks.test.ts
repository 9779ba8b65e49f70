// The three committed stack files, loaded as the CLI would load them.
import { expect } from "chai";
import { buildStack, Model, T, unwrap } from "../tools/render/render";

describe("stack dev (minikube profile)", () => {
    let m: Model;
    before(async () => { m = await buildStack("dev"); });

    it("targets the minikube context, domain the0.local, namespace the0", () => {
        expect(m.config.profile).to.equal("minikube");
        expect(unwrap(m.ofType(T.Provider)[0].inputs).context).to.equal("minikube");
        expect(m.config.domain).to.equal("the0.local");
        expect(unwrap(m.ofType(T.Namespace)[0].inputs).metadata.name).to.equal("the0");
    });

    it("exposes the0's NodePorts 30000-30004", () => {
        const nodePorts = m.ofType(T.Service)
            .map((s) => unwrap(s.inputs).spec)
            .filter((s) => s.type === "NodePort")
            .flatMap((s) => s.ports.map((p: any) => p.nodePort))
            .sort();
        expect(nodePorts).to.deep.equal([30000, 30001, 30002, 30003, 30004]);
        expect(m.spec(T.Service, "the0-frontend-external").ports[0]).to.include({ port: 3001, nodePort: 30001 });
    });

    it("signs Ingress certificates with a self-signed CA of its own namespace, from the cluster's cert-manager", () => {
        const issuers = m.ofType(T.Issuer).map((r) => unwrap(r.inputs));
        expect(issuers.map((i) => i.metadata.name).sort()).to.deep.equal(["the0-ca", "the0-selfsigned"]);
        expect(issuers.find((i) => i.metadata.name === "the0-ca").spec.ca.secretName).to.equal("the0-root-ca");
        expect(unwrap(m.object(T.Certificate, "the0-root-ca").inputs).spec.isCA).to.equal(true);
        expect(m.ofType(T.Release)).to.have.length(0);
    });

    it("runs single replicas on the standard StorageClass", () => {
        expect(m.deployment("the0-api").replicas).to.equal(1);
        expect(m.deployment("the0-frontend").replicas).to.equal(1);
        expect(m.statefulSet("the0-nats").replicas).to.equal(1);
        expect(m.statefulSet("the0-minio").replicas).to.equal(1);
        expect(m.statefulSet("the0-postgres").volumeClaimTemplates[0].spec.storageClassName).to.equal("standard");
        expect(m.ofType(T.HPA)).to.have.length(0);
        expect(m.ofType(T.PDB)).to.have.length(0);
    });

    it("points the0 at its NodePort URLs", () => {
        const env = m.env(T.Deployment, "the0-api");
        expect(env.FRONTEND_URL).to.equal("http://the0.local:30001");
        expect(env.NODE_ENV).to.equal("development");
        expect(env.THE0_ADMIN_EMAIL).to.equal("admin@the0.local");
    });
});

for (const stack of ["staging", "production"]) {
    describe(`stack ${stack} (cloud profile)`, () => {
        let m: Model;
        before(async () => { m = await buildStack(stack); });

        it("replicates api and frontend with HPAs and PodDisruptionBudgets", () => {
            const hpas = m.ofType(T.HPA).map((r) => unwrap(r.inputs));
            expect(hpas.map((h) => h.spec.scaleTargetRef.name).sort()).to.deep.equal(["the0-api", "the0-frontend"]);
            const pdbs = m.ofType(T.PDB).map((r) => unwrap(r.inputs).metadata.name).sort();
            expect(pdbs).to.include.members(["the0-api", "the0-frontend", "the0-docs", "the0-nats"]);
            // MinIO runs (and has a budget) only where the stack keeps its objects in the cluster.
            expect(pdbs.includes("the0-minio")).to.equal(stack === "staging");
            expect(pdbs).to.not.include("the0-bot-controller");
            expect(m.deployment("the0-api").replicas).to.equal(undefined);
            expect(m.deployment("the0-bot-controller").replicas).to.equal(1);
        });

        it(stack === "staging" ? "runs NATS x3 and distributed object storage x4, spread across nodes" : "runs NATS x3 spread across nodes, and keeps objects in the external store", () => {
            const nats = m.statefulSet("the0-nats");
            expect(nats.replicas).to.equal(3);
            if (stack === "production") {
                expect(m.ofType(T.StatefulSet).map((r) => r.name)).to.not.include("the0-minio");
                expect(m.env(T.Deployment, "the0-api")).to.include({ MINIO_ENDPOINT: "objects.the0.example.com", MINIO_PORT: "443", MINIO_USE_SSL: "true" });
                expect(m.env(T.Deployment, "the0-bot-controller").MINIO_ENDPOINT).to.equal("objects.the0.example.com:443");
                // The api's NetworkPolicy opens the store's port outside the cluster, and no MinIO pod.
                const egress = unwrap(m.object("kubernetes:networking.k8s.io/v1:NetworkPolicy", "the0-api").inputs).spec.egress as any[];
                expect(egress).to.deep.include({ ports: [{ port: 443, protocol: "TCP" }], to: [{ ipBlock: { cidr: "0.0.0.0/0" } }] });
                expect(JSON.stringify(egress)).to.not.include("\"minio\"");
                return;
            }
            const minio = m.statefulSet("the0-minio");
            for (const workload of [nats, minio]) {
                // A cordoned or tainted node is no domain to balance against: a drain must not strand a replica.
                expect(workload.template.spec.topologySpreadConstraints).to.deep.equal([{
                    maxSkew: 1,
                    topologyKey: "kubernetes.io/hostname",
                    whenUnsatisfiable: "DoNotSchedule",
                    nodeAffinityPolicy: "Honor",
                    nodeTaintsPolicy: "Honor",
                    labelSelector: { matchLabels: workload.selector.matchLabels },
                }]);
            }
            expect(minio.replicas).to.equal(4);
            expect(minio.template.spec.containers[0].command[2]).to.equal("http://the0-minio-{0...3}.the0-minio-headless.the0.svc.cluster.local/data");
        });

        it("issues Let's Encrypt certificates over HTTP-01 through its own Gateway", () => {
            const issuer = unwrap(m.ofType(T.Issuer)[0].inputs);
            const expected = stack === "production" ? "https://acme-v02.api.letsencrypt.org/directory" : "https://acme-staging-v02.api.letsencrypt.org/directory";
            expect(issuer.spec.acme.server).to.equal(expected);
            expect(issuer.spec.acme.email).to.equal("ops@the0.example.com");
            expect(issuer.spec.acme.solvers[0].http01.gatewayHTTPRoute.parentRefs[0]).to.include({ kind: "Gateway", name: "the0", sectionName: "http" });
            expect(m.ofType(T.Issuer)).to.have.length(1);
            expect(m.ofType(T.ClusterIssuer)).to.have.length(0);
            expect(unwrap(m.ofType(T.Gateway)[0].inputs).spec.gatewayClassName).to.equal("eg");
        });

        it("exposes nothing on node ports and pulls images Always", () => {
            expect(m.ofType(T.Service).map((s) => unwrap(s.inputs).spec.type)).to.not.include("NodePort");
            expect(m.container(T.Deployment, "the0-api").imagePullPolicy).to.equal("Always");
            expect(m.env(T.Deployment, "the0-api").NODE_ENV).to.equal("production");
        });

        it(stack === "production" ? "retains data volumes on destroy" : "deletes data volumes with the stack", () => {
            const policy = stack === "production" ? "Retain" : "Delete";
            const statefulSets = m.ofType(T.StatefulSet).map((r) => r.name).sort();
            expect(statefulSets).to.deep.equal(stack === "production" ? ["the0-mongo", "the0-nats", "the0-postgres"] : ["the0-minio", "the0-mongo", "the0-nats", "the0-postgres"]);
            for (const sts of statefulSets) {
                expect(m.statefulSet(sts).persistentVolumeClaimRetentionPolicy.whenDeleted, sts).to.equal(policy);
            }
            // Provider inputs reach the engine as strings.
            expect(unwrap(m.ofType(T.Provider)[0].inputs).upsertExistingObjects).to.equal(String(stack === "production"));
            // A Secret or ConfigMap replaced (delete first: fixed name) would replace every workload whose spec reads its outputs.
            expect(unwrap(m.ofType(T.Provider)[0].inputs)).to.include({ enableSecretMutable: "true", enableConfigMapMutable: "true" });
        });
    });
}
