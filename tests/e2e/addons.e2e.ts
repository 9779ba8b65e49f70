// End-to-end: the cluster-addons project runs under the Pulumi CLI as a user runs it (its own
// Pulumi.yaml, TypeScript, the shared model imported from components/). Its charts cannot be
// fetched offline, so the add-ons themselves are switched off: what is proven is that the project
// loads, validates its config before registering anything, and deploys its provider and component.
import { expect } from "chai";
import { execFileSync, spawnSync } from "child_process";
import { cpSync, mkdirSync, mkdtempSync, symlinkSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { kubectl, removeScratch, ROOT } from "../../tools/localStack/localStack";

describe("end-to-end: the cluster-addons project under the CLI", function () {
    this.timeout(300_000);
    let workDir: string;
    let env: NodeJS.ProcessEnv;
    const pulumi = (args: string[]) => spawnSync("pulumi", [...args, "--stack", "cluster", "--non-interactive"], { cwd: join(workDir, "cluster-addons"), env, encoding: "utf8" });

    before(() => {
        workDir = mkdtempSync(join(tmpdir(), "the0-addons-"));
        for (const f of ["cluster-addons", "components", "tsconfig.json", "package.json"]) cpSync(join(ROOT, f), join(workDir, f), { recursive: true });
        symlinkSync(join(ROOT, "node_modules"), join(workDir, "node_modules"));
        mkdirSync(join(workDir, ".state"));
        env = { ...process.env, PULUMI_BACKEND_URL: `file://${join(workDir, ".state")}`, PULUMI_CONFIG_PASSPHRASE: "the0-addons", PULUMI_SKIP_UPDATE_CHECK: "true" };
        execFileSync("pulumi", ["stack", "init", "cluster", "--secrets-provider", "passphrase", "--non-interactive"], { cwd: join(workDir, "cluster-addons"), env });
        const context = kubectl("config", "current-context").trim();
        for (const [k, v] of [["kubeContext", context], ["certManager.enabled", "false"], ["envoyGateway.className", "Envoy Gateway"]]) {
            execFileSync("pulumi", ["config", "set", "--path", k, v, "--stack", "cluster"], { cwd: join(workDir, "cluster-addons"), env });
        }
    });

    after(() => {
        pulumi(["destroy", "--yes", "--skip-preview"]);
        removeScratch(workDir);
    });

    it("refuses a bad config with the key, the value and what is allowed, before registering anything", () => {
        const preview = pulumi(["preview"]);
        expect(preview.status).to.not.equal(0);
        const out = preview.stdout + preview.stderr;
        expect(out).to.include('the0-cluster-addons:envoyGateway.className = "Envoy Gateway": must be a GatewayClass name (DNS subdomain)');
        expect(out).to.not.match(/\n\s+at .*\.ts:\d+/);
    });

    it("deploys its provider and component with the add-ons off, and a second up changes nothing", () => {
        execFileSync("pulumi", ["config", "set", "--path", "envoyGateway.className", "eg", "--stack", "cluster"], { cwd: join(workDir, "cluster-addons"), env });
        const up = pulumi(["up", "--yes", "--skip-preview"]);
        expect(up.status, up.stdout + up.stderr).to.equal(0);
        expect(up.stdout).to.include("the0:addons:ClusterAddons");
        const again = pulumi(["up", "--yes", "--skip-preview", "--expect-no-changes"]);
        expect(again.status, again.stdout + again.stderr).to.equal(0);
        const outputs = JSON.parse(pulumi(["stack", "output", "--json"]).stdout);
        expect(outputs).to.not.have.property("gatewayClassName");
    });
});
