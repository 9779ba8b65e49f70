// The README's quick start as a new user runs it: `npm run deploy:dev` in a checkout, then the plain
// pulumi commands of the README's plain-commands block, line by line and as written, with no flag,
// backend variable or stack name added. On this machine deploy:dev takes its simulated path (stack
// dev-local); the Minikube path differs only in the stack it selects and the cluster it targets.
// The checkout is a scratch copy of the tracked files; the CLI's stored login is put back afterwards.
import { expect } from "chai";
import { execFileSync, spawnSync } from "child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { dirname, join } from "path";
import { kubectlJson, NAMESPACE, objectsOfOurs, removeScratch, ROOT } from "../../tools/localStack/localStack";

/** The lines of the README's plain-commands block, comments kept (bash reads them as comments). */
function plainCommands(): string[] {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    const block = /<!-- BEGIN: plain-commands[^>]*-->\s*```bash\n([\s\S]*?)```\s*<!-- END: plain-commands -->/.exec(readme);
    if (!block) throw new Error("README.md has no plain-commands block");
    return block[1].split("\n").filter((l) => l.trim() !== "");
}

describe("end-to-end: the quick start, then the README's plain pulumi commands as written", function () {
    this.timeout(900_000);
    let checkout: string;
    let env: NodeJS.ProcessEnv;
    const credentials = join(process.env.PULUMI_HOME ?? join(process.env.HOME ?? "", ".pulumi"), "credentials.json");
    const storedLogin = existsSync(credentials) ? readFileSync(credentials, "utf8") : undefined;
    const lines = plainCommands();
    const line = (verb: string) => {
        const found = lines.find((l) => l.startsWith(`pulumi ${verb}`));
        if (!found) throw new Error(`the plain-commands block has no pulumi ${verb}`);
        return found;
    };
    // One README line in the checkout. The passphrase comes from the documented variable (the quick start's
    // default), and PULUMI_SKIP_CONFIRMATIONS answers the prompt of up and destroy that a person answers with yes.
    const runLine = (text: string) => {
        const r = spawnSync("bash", ["-euo", "pipefail", "-c", text], { cwd: checkout, env: { ...env, PULUMI_CONFIG_PASSPHRASE: "dev", PULUMI_SKIP_CONFIRMATIONS: "true" }, encoding: "utf8", maxBuffer: 64 * 2 ** 20 });
        expect(r.status, `${text}\n${r.stdout}\n${r.stderr}`).to.equal(0);
        return r.stdout;
    };

    before(() => {
        checkout = mkdtempSync(join(tmpdir(), "the0-quickstart-"));
        // What a clone holds (the working copy of each tracked file), timestamps kept: the dependency check
        // compares the lockfiles' times with node_modules', which are the project's own, linked.
        const tracked = execFileSync("git", ["ls-files"], { cwd: ROOT, encoding: "utf8" }).split("\n").filter((f) => f && existsSync(join(ROOT, f)));
        for (const f of tracked) {
            mkdirSync(dirname(join(checkout, f)), { recursive: true });
            cpSync(join(ROOT, f), join(checkout, f), { preserveTimestamps: true });
        }
        symlinkSync(join(ROOT, "node_modules"), join(checkout, "node_modules"));
        symlinkSync(join(ROOT, "policy", "node_modules"), join(checkout, "policy", "node_modules"));
        env = { ...process.env };
        for (const k of ["PULUMI_BACKEND_URL", "PULUMI_CONFIG_PASSPHRASE", "PULUMI_STACK", "THE0_STATE_DIR"]) delete env[k];
    });

    after(() => {
        try {
            // Whatever a failed step left: the stack's objects, through the same backend.
            if (existsSync(join(checkout, ".pulumi-state"))) {
                spawnSync("pulumi", ["destroy", "--yes", "--non-interactive", "--stack", "dev-local"], { cwd: checkout, env: { ...env, PULUMI_BACKEND_URL: `file://${join(checkout, ".pulumi-state")}`, PULUMI_CONFIG_PASSPHRASE: "dev" }, encoding: "utf8" });
            }
        } finally {
            if (storedLogin === undefined) rmSync(credentials, { force: true });
            else writeFileSync(credentials, storedLogin);
            removeScratch(checkout);
        }
    });

    it("npm run deploy:dev deploys dev-local, leaves the CLI logged in to the checkout's state and the stack selected", () => {
        const out = execFileSync("npm", ["run", "deploy:dev"], { cwd: checkout, env, encoding: "utf8", maxBuffer: 64 * 2 ** 20 });
        const backend = `file://${join(checkout, ".pulumi-state")}`;
        expect(out).to.include("deploying stack dev-local to a local simulated cluster");
        expect(out).to.include(`the pulumi CLI now uses this backend, ${backend}`);
        expect(out).to.include("plain pulumi commands in this checkout work on stack dev-local (selected)");
        expect(out).to.include("this run used dev, the default");
        expect(JSON.parse(readFileSync(credentials, "utf8")).current).to.equal(backend);
        const deployments = kubectlJson<{ items: Array<{ metadata: { name: string }; status: { readyReplicas?: number } }> }>("get", "deployments", "-n", NAMESPACE).items;
        expect(deployments.map((d) => d.metadata.name)).to.include("the0-api");
    });

    it("pulumi preview works as written: the selected stack, nothing to change", () => {
        const out = runLine(line("preview"));
        expect(out).to.match(/Previewing update \(dev-local\)/);
        expect(out).to.not.match(/\+ {2}create|~ {2}update|- {2}delete/);
    });

    it("pulumi config set --secret stores the value encrypted in the stack file", () => {
        runLine(line("config set --secret rootAdminPassword"));
        const stackFile = readFileSync(join(checkout, "Pulumi.dev-local.yaml"), "utf8");
        expect(stackFile).to.match(/the0-infra:rootAdminPassword:\s*\n\s*secure: /);
    });

    it("pulumi up applies it: the Secret carries the new password", () => {
        runLine(line("up"));
        const chosen = runLine("pulumi config get rootAdminPassword").trim();
        expect(chosen).to.match(/^[0-9a-f]{32}$/);
        const data = kubectlJson<{ data: Record<string, string> }>("get", "secret", "the0-secrets", "-n", NAMESPACE).data;
        expect(Buffer.from(data["admin-password"], "base64").toString()).to.equal(chosen);
    });

    it("pulumi destroy removes every object of the stack", () => {
        runLine(line("destroy"));
        expect(objectsOfOurs()).to.deep.equal([]);
    });
});
