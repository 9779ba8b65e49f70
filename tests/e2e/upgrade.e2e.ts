// `npm run upgrade-store` on the local control plane, for the dev stack with backups into the
// in-cluster bucket: the dry run changes nothing; --yes backs up with the store's CronJob, removes the
// old StatefulSet and its claim, deploys the new major on a new claim, and runs the restore Job. The
// pods are simulated (kwok): this proves the orchestration against a real API server; that the data
// survives the major is tests/contract/upgrade.contract.ts, with real PostgreSQL 15 and 16.
import { Stack } from "@pulumi/pulumi/automation";
import { expect } from "chai";
import { spawnSync } from "child_process";
import { appendFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { createLocalStack, kubectl, kubectlJson, NAMESPACE, pulumiEnv, removeScratch, ROOT } from "../../tools/localStack/localStack";

const LOG = process.env.THE0_E2E_LOG ?? join(tmpdir(), "the0-e2e-dev.log");
const NEXT = "postgres:16.14-alpine";

describe("end-to-end: npm run upgrade-store moves PostgreSQL to a new major through a backup", function () {
    this.timeout(20 * 60 * 1000);
    let stack: Stack;
    let workDir: string;
    const onOutput = (s: string) => appendFileSync(LOG, s);
    const upgrade = (...args: string[]) => spawnSync("bash", [join(ROOT, "scripts", "upgrade-store.sh"), "--stack", stack.name, "--store", "postgres", "--to", NEXT, ...args], {
        cwd: workDir, env: { ...process.env, ...pulumiEnv(workDir), THE0_PROJECT_DIR: workDir }, encoding: "utf8", maxBuffer: 64 * 2 ** 20,
    });
    const image = () => kubectlJson<{ spec: { template: { spec: { containers: Array<{ name: string; image: string }> } } } }>("get", "statefulset", "the0-postgres", "-n", NAMESPACE)
        .spec.template.spec.containers.find((c) => c.name === "postgres")?.image;
    const claimUid = () => kubectlJson<{ metadata: { uid: string } }>("get", "pvc", "data-the0-postgres-0", "-n", NAMESPACE).metadata.uid;

    before(async () => {
        ({ stack, workDir } = await createLocalStack("dev", "upgrade-store", true, { backups: { enabled: true }, ingress: { enabled: false } }));
        await stack.up({ onOutput });
    });

    after(async () => {
        if (stack) await stack.destroy({ onOutput }).catch(() => undefined);
        kubectl("delete", "namespace", NAMESPACE, "--ignore-not-found", "--wait=true", "--timeout=5m");
        if (workDir) removeScratch(workDir);
    });

    it("a dry run prints the steps and changes nothing", () => {
        const uid = claimUid();
        const r = upgrade();
        expect(r.status, r.stderr).to.equal(0);
        expect(r.stdout).to.include(`upgrade-store: stack upgrade-store, PostgreSQL 15 (postgres:15.13-alpine) to 16 (${NEXT}), through a dump:`);
        expect(r.stdout).to.include("dry run: nothing done");
        expect(image()).to.equal("postgres:15.13-alpine");
        expect(claimUid()).to.equal(uid);
    });

    it("--yes: a backup job from the CronJob, the old server and claim gone, the new major deployed on a new claim, the restore job run", async () => {
        const uid = claimUid();
        const r = upgrade("--yes");
        appendFileSync(LOG, r.stdout + r.stderr);
        expect(r.status, r.stdout + r.stderr).to.equal(0);
        for (const step of ["upgrade-store: 1. backed up", "upgrade-store: 2. statefulset the0-postgres and pvc data-the0-postgres-0 removed", `upgrade-store: 3. postgres.image = ${NEXT}, deployed`, "restore: postgres: done", "upgrade-store: 4. restored"]) {
            expect(r.stdout, step).to.include(step);
        }
        expect(image()).to.equal(NEXT);
        expect(claimUid()).to.not.equal(uid);
        const jobs = kubectlJson<{ items: Array<{ metadata: { name: string }; status: { succeeded?: number } }> }>("get", "jobs", "-n", NAMESPACE).items;
        expect(jobs.filter((j) => j.metadata.name.startsWith("the0-backup-postgres-upgrade-") && j.status.succeeded === 1)).to.have.length(1);
        expect((await stack.getConfig("the0-infra:postgres.image", true)).value).to.equal(NEXT);
        // The stack and the cluster agree afterwards: nothing left to change.
        await stack.up({ onOutput, expectNoChanges: true });
    });

    it("upgrading again to the same major is refused, nothing done", () => {
        const r = upgrade("--yes");
        expect(r.status).to.equal(2);
        expect(r.stderr).to.include(`upgrade-store: ${NEXT} and ${NEXT} are both PostgreSQL 16: not a major change`);
    });
});
