// The bootstrap command on a fresh backend: `npm run stack:init` creates the stack, and the next
// `pulumi up` deploys it with no manual step in between. The project is a scratch copy whose stack
// file holds what a team would commit (the dev stack pointed at the local cluster); no secret is
// set: the first up generates them.
import { expect } from "chai";
import { execFileSync, spawnSync } from "child_process";
import { cpSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { stringify } from "yaml";
import { PROJECT } from "../../tools/render/stackFiles";
import { kubectl, kubectlJson, localConfig, NAMESPACE, removeScratch, ROOT } from "../../tools/localStack/localStack";

const STACK = "bootstrap";

describe("end-to-end: stack bootstrap on a fresh backend", function () {
    this.timeout(600_000);
    let workDir: string;
    let env: NodeJS.ProcessEnv;
    const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { cwd: workDir, env, encoding: "utf8", maxBuffer: 64 * 2 ** 20 });

    before(() => {
        workDir = mkdtempSync(join(tmpdir(), "the0-bootstrap-"));
        for (const f of ["Pulumi.yaml", "main.js", "index.ts", "package.json", "tsconfig.json", "components"]) cpSync(join(ROOT, f), join(workDir, f), { recursive: true });
        symlinkSync(join(ROOT, "node_modules"), join(workDir, "node_modules"));
        mkdirSync(join(workDir, ".state"));
        const config = Object.fromEntries(Object.entries(localConfig("dev", false)).map(([k, v]) => [`${PROJECT}:${k}`, v]));
        writeFileSync(join(workDir, `Pulumi.${STACK}.yaml`), stringify({ config }));
        env = { ...process.env, THE0_PROJECT_DIR: workDir, PULUMI_CONFIG_PASSPHRASE: "the0-bootstrap-passphrase", PULUMI_SKIP_UPDATE_CHECK: "true" };
        delete env.PULUMI_BACKEND_URL;
    });

    after(() => {
        try {
            run("pulumi", ["destroy", "--yes", "--stack", STACK, "--non-interactive"]);
            // The last test protects the data: what that keeps on purpose goes by hand.
            kubectl("delete", "namespace", NAMESPACE, "--ignore-not-found", "--wait=true", "--timeout=5m");
        } finally {
            removeScratch(workDir);
        }
    });

    it("stack:init logs in, creates the stack with the passphrase provider and validates its config", () => {
        const out = run("bash", [join(ROOT, "scripts", "stack-init.sh"), STACK, "--backend", `file://${join(workDir, ".state")}`, "--secrets-provider", "passphrase"]);
        expect(out).to.include(`created stack ${STACK} (secrets provider: passphrase)`);
        expect(out).to.include(`stack ${STACK}: config is valid (profile minikube`);
        expect(out).to.include(`Next: pulumi up --stack ${STACK}`);
        // Run again, it selects the stack rather than failing.
        expect(run("bash", [join(ROOT, "scripts", "stack-init.sh"), STACK])).to.include(`stack ${STACK} exists in this backend: selected it`);
    });

    it("the next pulumi up deploys it, with no manual step", () => {
        run("pulumi", ["up", "--yes", "--stack", STACK, "--non-interactive", "--skip-preview"]);
        const deployments = kubectlJson<{ items: Array<{ metadata: { name: string }; status: { readyReplicas?: number } }> }>("get", "deployments", "-n", NAMESPACE).items;
        expect(deployments.map((d) => d.metadata.name)).to.include("the0-api");
        for (const d of deployments) expect(d.status.readyReplicas, d.metadata.name).to.be.at.least(1);
    });

    it("stack:init --ephemeral tags a throwaway stack for the destroy workflow, and refuses to make a long-lived one ephemeral", () => {
        const out = run("bash", [join(ROOT, "scripts", "stack-init.sh"), "e2e-throwaway", "--ephemeral"]);
        expect(out).to.include("tagged stack e2e-throwaway the0:ephemeral=true");
        expect(run("pulumi", ["stack", "tag", "get", "the0:ephemeral", "--stack", "e2e-throwaway"]).trim()).to.equal("true");
        run("pulumi", ["stack", "rm", "--yes", "--force", "e2e-throwaway"]);
        const refused = spawnSync("bash", [join(ROOT, "scripts", "stack-init.sh"), "production", "--ephemeral"], { cwd: workDir, env, encoding: "utf8" });
        expect(refused.status).to.equal(2);
        expect(refused.stderr).to.include("stack-init: production is a long-lived stack and cannot be ephemeral");
    });

    it("protecting the data later: stack:init stores the credentials the stack already uses, and no credential changes", () => {
        const before = kubectlJson("get", "secret", "the0-secrets", "-n", NAMESPACE).data;
        run("pulumi", ["config", "set", "--stack", STACK, `${PROJECT}:protectDataVolumes`, "true"]);
        const out = run("bash", [join(ROOT, "scripts", "stack-init.sh"), STACK]);
        for (const key of ["postgresPassword", "mongoRootPassword", "minioAccessKey", "minioSecretKey", "jwtSecret", "rootAdminPassword"]) {
            expect(out).to.include(`${key}: stored the value this stack already uses (from its state)`);
        }
        run("pulumi", ["up", "--yes", "--stack", STACK, "--non-interactive", "--skip-preview"]);
        expect(kubectlJson("get", "secret", "the0-secrets", "-n", NAMESPACE).data).to.deep.equal(before);
    });
});
