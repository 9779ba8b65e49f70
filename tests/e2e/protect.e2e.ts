// End-to-end for production's protected data: `destroy` keeps the namespace and the data
// volumes, and the next `up` adopts them again. Runs the production stack's config on the
// three-node local cluster (scripts/e2e.sh, after the cloud profile).
import { Stack } from "@pulumi/pulumi/automation";
import { expect } from "chai";
import { appendFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { createLocalStack, kubectl, kubectlJson, NAMESPACE, policyOptions, removeScratch } from "./local-stack";

const LOG = process.env.THE0_E2E_LOG ?? join(tmpdir(), "the0-e2e-production.log");

function uids(kind: string): Record<string, string> {
    return Object.fromEntries(kubectlJson<{ items: any[] }>("get", kind, "-n", NAMESPACE).items.map((o) => [o.metadata.name, o.metadata.uid]));
}

describe("end-to-end (production stack: protected data volumes)", function () {
    this.timeout(30 * 60 * 1000);
    let stack: Stack;
    let workDir: string;
    let claims: Record<string, string>;
    const onOutput = (s: string) => appendFileSync(LOG, s);

    before(async () => {
        ({ stack, workDir } = await createLocalStack("production", "e2e-production"));
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
        expect(Object.keys(claims)).to.have.length(1 + 1 + 3 + 4);
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

    it("the next up adopts the namespace and re-attaches the same volumes", async () => {
        const up = await stack.up({ onOutput, ...policyOptions(workDir, "production") });
        expect(up.summary.result).to.equal("succeeded");
        expect(uids("persistentvolumeclaims")).to.deep.equal(claims);
        for (const s of kubectlJson<{ items: any[] }>("get", "statefulsets", "-n", NAMESPACE).items) {
            expect(s.status.readyReplicas, s.metadata.name).to.equal(s.spec.replicas);
        }
    });
});
