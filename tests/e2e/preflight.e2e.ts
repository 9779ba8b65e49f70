// End-to-end: `npm run preflight` against the local control plane, as an operator runs it before the
// first up: it passes on the dev stack's config, and the checks the local cluster can fail are seen
// failing with the stack's config changed (a StorageClass that does not exist, requests no node has
// room for, autoscalers without a metrics API, an add-ons stack that does not exist, a context that
// does not exist). A missing or outdated CRD is shown failing by the unit suite (tests/preflight.test.ts):
// the local cluster has every CRD the program uses, and other suites need them.
import { Stack } from "@pulumi/pulumi/automation";
import { expect } from "chai";
import { spawnSync } from "child_process";
import { join } from "path";
import { PROJECT } from "../../tools/render/stackFiles";
import { createLocalStack, pulumiEnv, removeScratch, ROOT } from "../../tools/localStack/localStack";

describe("end-to-end: npm run preflight on the local control plane (dev stack's config)", function () {
    this.timeout(300_000);
    let stack: Stack;
    let workDir: string;
    const STACK = "e2e-preflight";
    const preflight = () => spawnSync("bash", [join(ROOT, "scripts", "preflight.sh"), "--stack", STACK], {
        cwd: workDir, env: { ...process.env, ...pulumiEnv(workDir), THE0_PROJECT_DIR: workDir }, encoding: "utf8",
    });
    const failing = (out: string) => out.split("\n").filter((l) => l.startsWith("FAIL")).map((l) => l.replace(/\s+/g, " "));

    before(async () => {
        ({ stack, workDir } = await createLocalStack("dev", STACK));
    });
    after(async () => {
        if (stack) await stack.workspace.removeStack(stack.name).catch(() => undefined);
        if (workDir) removeScratch(workDir);
    });

    it("passes: the cluster answers, cert-manager's CRDs serve v1, StorageClass standard exists, the nodes have room", () => {
        const r = preflight();
        expect(r.status, r.stdout + r.stderr).to.equal(0);
        expect(r.stdout).to.match(/^ok +cluster +.* answers: Kubernetes v\d+\.\d+/m);
        expect(r.stdout).to.match(/^ok +crd +issuers\.cert-manager\.io serves v1$/m);
        expect(r.stdout).to.match(/^ok +crd +certificates\.cert-manager\.io serves v1$/m);
        expect(r.stdout).to.match(/^ok +storage class +standard exists$/m);
        expect(r.stdout).to.match(/^ok +capacity +the stack requests/m);
        expect(r.stdout).to.match(/^preflight: all \d+ checks passed$/m);
    });

    it("fails each check the cluster can fail, one line each, exit 1", async () => {
        await stack.setConfig(`${PROJECT}:storageClass`, { value: "no-such-class" });
        await stack.setConfig(`${PROJECT}:addonsStack`, { value: "organization/the0-cluster-addons/nowhere" });
        // Autoscaled and far larger than the local nodes (each request still under any single node's size).
        await stack.setConfig(`${PROJECT}:apps`, { value: JSON.stringify({ api: { replicas: 40, resources: { requests: { cpu: "8", memory: "16Gi" }, limits: { cpu: "8", memory: "16Gi" } }, autoscaling: { enabled: true, minReplicas: 40, maxReplicas: 50 } } }) });
        const r = preflight();
        expect(r.status, r.stdout + r.stderr).to.equal(1);
        const lines = failing(r.stdout);
        expect(lines.some((l) => l.startsWith("FAIL storage class no-such-class does not exist (has: ")), lines.join("\n")).to.equal(true);
        expect(lines.some((l) => /^FAIL capacity the stack requests [\d.]+ CPU .*: add nodes or lower the requests$/.test(l)), lines.join("\n")).to.equal(true);
        expect(lines.some((l) => l.startsWith("FAIL metrics-server the stack has HorizontalPodAutoscalers and the metrics API")), lines.join("\n")).to.equal(true);
        expect(lines.some((l) => l.startsWith("FAIL add-ons stack organization/the0-cluster-addons/nowhere cannot be read")), lines.join("\n")).to.equal(true);
        expect(r.stdout).to.match(/^preflight: 4 of \d+ checks failed$/m);
    });

    it("fails on a context the kubeconfig does not have, and asks nothing more", async () => {
        await stack.setConfig(`${PROJECT}:kubeContext`, { value: "no-such-context" });
        const r = preflight();
        expect(r.status, r.stdout + r.stderr).to.equal(1);
        expect(failing(r.stdout)).to.have.length(1);
        expect(r.stdout).to.match(/^FAIL cluster +no-such-context cannot be reached: /m);
        expect(r.stdout).to.match(/^preflight: 1 of 1 checks failed$/m);
    });
});
