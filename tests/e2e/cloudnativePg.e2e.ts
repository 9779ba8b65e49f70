// postgres.mode cloudnative-pg on the local control plane, with CloudNativePG's real operator (built from its
// Go module at the pinned release, a local process against the API server: tools/offline-k8s/cluster.sh). The
// stack is deployed through the policy pack; the operator reconciles the Cluster it declares into its Secrets,
// Services, volume, disruption budgets and initdb Job, and takes up the ScheduledBackup. Pods are simulated
// (kwok): the operator creates the first instance and then cannot reach its instance manager, so no PostgreSQL
// runs and the Cluster never becomes healthy here. What the0's api does with the operator's connection string is
// tests/the0 (a real api against a real PostgreSQL requiring TLS).
import { Stack } from "@pulumi/pulumi/automation";
import { expect } from "chai";
import { appendFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { createLocalStack, kubectl, kubectlJson, localSecrets, NAMESPACE, objectsOfOurs, policyOptions, removeScratch } from "../../tools/localStack/localStack";
import { PROJECT } from "../../tools/render/stackFiles";

const LOG = process.env.THE0_E2E_LOG ?? join(tmpdir(), "the0-e2e-dev.log");
const CLUSTER = "the0-postgres";

/** Polls `read` until it returns something, for up to `seconds`; the operator works asynchronously. */
async function eventually<T>(what: string, read: () => T | undefined, seconds = 90): Promise<NonNullable<T>> {
    const deadline = Date.now() + seconds * 1000;
    for (;;) {
        let value: T | undefined;
        try {
            value = read();
        } catch {
            value = undefined;
        }
        if (value !== undefined && value !== null) return value;
        if (Date.now() > deadline) throw new Error(`timed out after ${seconds} s waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 1000));
    }
}

const get = <T = any>(kind: string, name: string): T => kubectlJson<T>("get", kind, name, "-n", NAMESPACE);

describe("end-to-end: postgres.mode cloudnative-pg with CloudNativePG's operator", function () {
    this.timeout(20 * 60 * 1000);
    let stack: Stack;
    let workDir: string;
    const onOutput = (s: string) => appendFileSync(LOG, s);

    before(async () => {
        // The operator must be there: its CRDs served and its process running (cluster.sh, unless THE0_CNPG=0).
        expect(kubectl("get", "crd", "clusters.postgresql.cnpg.io", "-o", "name").trim()).to.equal("customresourcedefinition.apiextensions.k8s.io/clusters.postgresql.cnpg.io");
        ({ stack, workDir } = await createLocalStack("dev", "cloudnative-pg", false, {
            postgres: { mode: "cloudnative-pg", cloudnativePg: { instances: 3 } },
            backups: { enabled: true },
            ingress: { enabled: false },
        }));
        // The local secrets, except PostgreSQL's: the operator makes that password (validation refuses one here).
        for (const [key, value] of Object.entries(localSecrets())) {
            if (value !== "" && key !== "postgresPassword") await stack.setConfig(`${PROJECT}:${key}`, { value, secret: true });
        }
    });

    after(async () => {
        if (stack) {
            await stack.destroy({ onOutput }).catch(() => undefined);
            await stack.workspace.removeStack(stack.name).catch(() => undefined);
        }
        kubectl("delete", "namespace", NAMESPACE, "--ignore-not-found", "--wait=true", "--timeout=5m");
        if (workDir) removeScratch(workDir);
    });

    it("up passes the policy pack and declares the Cluster and its ScheduledBackup", async () => {
        const up = await stack.up({ onOutput, ...policyOptions(workDir, "dev") });
        expect(up.summary.result).to.equal("succeeded");
        const cluster = get("clusters.postgresql.cnpg.io", CLUSTER);
        expect(cluster.spec.instances).to.equal(3);
        expect(cluster.spec.bootstrap.initdb).to.include({ database: "the0_oss", owner: "the0" });
        expect(cluster.spec.backup.barmanObjectStore.destinationPath).to.equal(`s3://the0-backups/${stack.name}/postgres`);
        // This incarnation's own archive folder (random provider's id), and the archive's own Secret of the two MinIO keys.
        expect(cluster.spec.backup.barmanObjectStore.serverName).to.match(/^the0-postgres-[0-9a-f]{8}$/);
        expect(cluster.spec.backup.barmanObjectStore.s3Credentials.accessKeyId).to.deep.equal({ name: "the0-postgres-archive", key: "access-key" });
        expect(Object.keys(get("secret", "the0-postgres-archive").data).sort()).to.deep.equal(["access-key", "secret-key"]);
        expect(cluster.spec.postgresql.pg_hba).to.deep.equal(["hostnossl all all all reject"]);
        expect(get("scheduledbackups.postgresql.cnpg.io", "the0-postgres-daily").spec.cluster.name).to.equal(CLUSTER);
        expect(kubectlJson<{ items: unknown[] }>("get", "statefulsets", "-n", NAMESPACE, "-l", "app.kubernetes.io/component=postgres").items).to.have.length(0);
    });

    it("the operator makes the Secret the0 reads, with the connection string to the read-write Service", async () => {
        const secret = await eventually("Secret the0-postgres-app", () => get<{ data: Record<string, string>; metadata: { ownerReferences: Array<{ kind: string; name: string }> } }>("secret", "the0-postgres-app"));
        const data = Object.fromEntries(Object.entries(secret.data).map(([k, v]) => [k, Buffer.from(v, "base64").toString("utf8")]));
        expect(data).to.include({ username: "the0", dbname: "the0_oss", host: "the0-postgres-rw", port: "5432" });
        // Letters and digits only: the0's api passes the password from DATABASE_URL undecoded (secretRules.ts).
        expect(data.password).to.match(/^[A-Za-z0-9]{64}$/);
        expect(data.uri).to.equal(`postgresql://the0:${data.password}@the0-postgres-rw.${NAMESPACE}:5432/the0_oss`);
        expect(secret.metadata.ownerReferences.map((o) => `${o.kind}/${o.name}`)).to.deep.equal([`Cluster/${CLUSTER}`]);
        // ... and the0's services read exactly that Secret and key, then require TLS on it.
        const env = get("deployment", "the0-api").spec.template.spec.containers[0].env as Array<{ name: string; value?: string; valueFrom?: any }>;
        expect(env.find((e) => e.name === "THE0_POSTGRES_OPERATOR_URI")?.valueFrom).to.deep.equal({ secretKeyRef: { name: "the0-postgres-app", key: "uri" } });
        expect(env.find((e) => e.name === "DATABASE_URL")?.value).to.equal("$(THE0_POSTGRES_OPERATOR_URI)?sslmode=require");
    });

    it("the operator reconciles the Cluster into its Services, volume, disruption budgets and initdb Job, labelled for our NetworkPolicy", async () => {
        for (const [suffix, role] of [["rw", { "cnpg.io/instanceRole": "primary" }], ["ro", { "cnpg.io/instanceRole": "replica" }], ["r", { "cnpg.io/podRole": "instance" }]] as const) {
            const svc = await eventually(`Service ${CLUSTER}-${suffix}`, () => get<any>("service", `${CLUSTER}-${suffix}`));
            expect(svc.spec.selector, suffix).to.deep.equal({ "cnpg.io/cluster": CLUSTER, ...role });
            expect(svc.spec.ports.map((p: any) => p.port)).to.deep.equal([5432]);
        }
        await eventually("PodDisruptionBudget the0-postgres-primary", () => get<any>("pdb", `${CLUSTER}-primary`));
        const pvc = await eventually(`PVC ${CLUSTER}-1`, () => get<any>("pvc", `${CLUSTER}-1`));
        expect(pvc.spec.resources.requests.storage).to.equal("10Gi");
        const job = await eventually(`Job ${CLUSTER}-1-initdb`, () => get<any>("job", `${CLUSTER}-1-initdb`));
        // The program's selector labels reach the operator's pods (inheritedMetadata), so the derived policy covers them.
        const policy = get("networkpolicy", "the0-postgres").spec;
        const podLabels = job.spec.template.metadata.labels as Record<string, string>;
        for (const [k, v] of Object.entries(policy.podSelector.matchLabels as Record<string, string>)) expect(podLabels[k], k).to.equal(v);
        expect(podLabels["cnpg.io/cluster"]).to.equal(CLUSTER);
        // kwok completes the Job; the operator then creates the first instance with the program's image, as PSA restricted admits it.
        const pod = await eventually(`Pod ${CLUSTER}-1`, () => get<any>("pod", `${CLUSTER}-1`));
        expect(pod.spec.containers.find((c: any) => c.name === "postgres").image).to.equal("ghcr.io/cloudnative-pg/postgresql:18.6-system-trixie");
        expect(pod.spec.securityContext).to.include({ runAsNonRoot: true, runAsUser: 26 });
        expect(kubectlJson<any>("get", "namespace", NAMESPACE).metadata.labels["pod-security.kubernetes.io/enforce"]).to.equal("restricted");
    });

    it("the operator takes up the ScheduledBackup: a base backup right away", async () => {
        const backups = await eventually("a Backup of the Cluster", () => {
            const items = kubectlJson<{ items: Array<{ spec: { cluster: { name: string }; method: string } }> }>("get", "backups.postgresql.cnpg.io", "-n", NAMESPACE).items;
            return items.length > 0 ? items : undefined;
        });
        expect(backups[0].spec).to.deep.include({ cluster: { name: CLUSTER }, method: "barmanObjectStore" });
    });

    it("a second up changes nothing (the operator's own defaults in the Cluster are not ours to fight)", async () => {
        const again = await stack.up({ onOutput, ...policyOptions(workDir, "dev") });
        const changes = Object.entries(again.summary.resourceChanges ?? {}).filter(([op]) => op !== "same");
        expect(changes).to.deep.equal([]);
    });

    it("refuses to switch postgres.mode back while the Cluster holds the data, and changes nothing", async () => {
        await stack.setConfig(`${PROJECT}:postgres.mode`, { value: "inCluster" }, true);
        const refused = await stack.preview({ onOutput }).then(() => "", (e: Error) => e.message);
        await stack.setConfig(`${PROJECT}:postgres.mode`, { value: "cloudnative-pg" }, true);
        expect(refused).to.include(`the CloudNativePG Cluster ${CLUSTER} holds the0's PostgreSQL data`);
        expect(get("clusters.postgresql.cnpg.io", CLUSTER).metadata.deletionTimestamp).to.equal(undefined);
    });

    it("destroy leaves nothing: the Cluster and everything the operator made for it", async () => {
        const result = await stack.destroy({ onOutput });
        expect(result.summary.result).to.equal("succeeded");
        kubectl("wait", "--for=delete", `namespace/${NAMESPACE}`, "--timeout=5m");
        expect(objectsOfOurs()).to.deep.equal([]);
        expect(kubectlJson<{ items: unknown[] }>("get", "clusters.postgresql.cnpg.io", "-A").items).to.have.length(0);
    });
});
