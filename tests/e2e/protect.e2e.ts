// End-to-end for production's protected data: `destroy` keeps the namespace and the data
// volumes, and the next `up` adopts them again with the same credentials. Runs the production
// stack's config on the three-node local cluster (scripts/e2e.sh, after the cloud profile), with no
// secret set by hand: `npm run stack:init` stores them, as it does for a user.
import { Stack } from "@pulumi/pulumi/automation";
import { expect } from "chai";
import { execFileSync } from "child_process";
import { appendFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { createLocalStack, kubectl, kubectlJson, NAMESPACE, policyOptions, pulumiEnv, removeScratch, ROOT } from "../../tools/localStack/localStack";
import { handSetSecrets } from "../../tools/render/stackFiles";

const LOG = process.env.THE0_E2E_LOG ?? join(tmpdir(), "the0-e2e-production.log");

function uids(kind: string): Record<string, string> {
    return Object.fromEntries(kubectlJson<{ items: any[] }>("get", kind, "-n", NAMESPACE).items.map((o) => [o.metadata.name, o.metadata.uid]));
}

describe("end-to-end (production stack: protected data volumes)", function () {
    this.timeout(30 * 60 * 1000);
    let stack: Stack;
    let workDir: string;
    let claims: Record<string, string>;
    let credentials: Record<string, string>;
    const onOutput = (s: string) => appendFileSync(LOG, s);
    const secretData = () => kubectlJson("get", "secret", "the0-secrets", "-n", NAMESPACE).data as Record<string, string>;

    before(async () => {
        ({ stack, workDir } = await createLocalStack("production", "e2e-production", false));
    });

    it("refuses to deploy with generated credentials, and stack:init stores every one in the stack's config", async () => {
        // The external object store's keys are the user's to set, as the stack file says: nothing can generate them.
        const refusedKeys = await stack.preview({ onOutput }).then(() => "", (e: Error) => e.message);
        expect(refusedKeys).to.include("external object storage needs minioAccessKey and minioSecretKey (secrets) or existingSecret");
        for (const [key, value] of Object.entries(handSetSecrets("production"))) await stack.setConfig(`the0-infra:${key}`, { value: value as string, secret: true });
        const refused = await stack.preview({ onOutput }).then(() => "", (e: Error) => e.message);
        expect(refused).to.include("protectDataVolumes keeps the data across destroy, so the stack's credentials must outlive its state");
        expect(refused).to.not.include("external object storage needs");
        const out = execFileSync("bash", [join(ROOT, "scripts", "stack-init.sh"), stack.name], {
            cwd: workDir, env: { ...process.env, ...pulumiEnv(workDir), THE0_PROJECT_DIR: workDir }, encoding: "utf8",
        });
        appendFileSync(LOG, out);
        for (const key of ["postgresPassword", "mongoRootPassword", "jwtSecret", "rootAdminPassword"]) {
            expect(out).to.include(`${key}: generated and stored, encrypted in Pulumi.${stack.name}.yaml`);
            expect((await stack.getConfig(`the0-infra:${key}`)).secret, key).to.equal(true);
        }
        expect(out).to.not.include("minioAccessKey: generated");
        expect(out).to.include(`stack ${stack.name}: config is valid`);
    });

    after(async () => {
        if (stack) {
            await stack.destroy({ onOutput }).catch(() => undefined);
            await stack.workspace.removeStack(stack.name).catch(() => undefined);
        }
        // What production keeps on purpose has to go by hand, as docs/kubernetes-deployment.md says.
        try {
            kubectl("delete", "namespace", NAMESPACE, "--ignore-not-found", "--wait=true", "--timeout=5m");
        } catch {
            // the cluster is gone
        }
        if (workDir) removeScratch(workDir);
    });

    it("up passes the policy pack with production's rules and retains claims on delete", async () => {
        const up = await stack.up({ onOutput, ...policyOptions(workDir, "production") });
        expect(up.summary.result).to.equal("succeeded");
        for (const s of kubectlJson<{ items: any[] }>("get", "statefulsets", "-n", NAMESPACE).items) {
            expect(s.spec.persistentVolumeClaimRetentionPolicy.whenDeleted, s.metadata.name).to.equal("Retain");
        }
        claims = uids("persistentvolumeclaims");
        credentials = secretData();
        // PostgreSQL, MongoDB, NATS x3; the objects are in the external store, so no MinIO claims.
        expect(Object.keys(claims).sort()).to.deep.equal(["data-the0-mongo-0", "data-the0-nats-0", "data-the0-nats-1", "data-the0-nats-2", "data-the0-postgres-0"]);
    });

    it("destroy removes the workloads but keeps the namespace and every data volume", async () => {
        const result = await stack.destroy({ onOutput });
        expect(result.summary.result).to.equal("succeeded");
        expect(kubectlJson("get", "namespace", NAMESPACE).status.phase).to.equal("Active");
        expect(uids("persistentvolumeclaims")).to.deep.equal(claims);
        for (const kind of ["deployments", "statefulsets", "services", "secrets"]) {
            expect(kubectlJson<{ items: any[] }>("get", kind, "-n", NAMESPACE, "-l", "app.kubernetes.io/part-of=the0").items, kind).to.deep.equal([]);
        }
    });

    it("the next up adopts the namespace and re-attaches the same volumes, with every credential unchanged", async () => {
        const up = await stack.up({ onOutput, ...policyOptions(workDir, "production") });
        expect(up.summary.result).to.equal("succeeded");
        expect(uids("persistentvolumeclaims")).to.deep.equal(claims);
        for (const s of kubectlJson<{ items: any[] }>("get", "statefulsets", "-n", NAMESPACE).items) {
            expect(s.status.readyReplicas, s.metadata.name).to.equal(s.spec.replicas);
        }
        // The kept data and the new Secret agree: every credential is the one the data was created with.
        expect(secretData()).to.deep.equal(credentials);
    });
});
