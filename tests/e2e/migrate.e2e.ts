// `npm run migrate:from-helm`, step 1, on the local control plane: the0's chart installed with Helm,
// then the command reads the release and writes a fresh stack's config (dry run first, then --yes):
// the release's credentials become the stack's secrets, a new namespace beside it, and the stack
// previews cleanly there. A release of another chart is refused. Steps 2 to 6 are not scripted yet.
import { expect } from "chai";
import { execFileSync, spawnSync } from "child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { parse } from "yaml";
import { kubectl, kubectlJson, removeScratch, ROOT } from "../../tools/localStack/localStack";
import { PROJECT } from "../../tools/render/stackFiles";
import { peerChartDir } from "../../tools/toolchain/peers";
import { toolchainBin } from "../../tools/toolchain/toolchainBin";

const CHART_NAMESPACE = "the0-chart";
const STACK = "migrated";

describe("end-to-end: npm run migrate:from-helm reads a Helm install of the0 into a new stack's config", function () {
    this.timeout(15 * 60 * 1000);
    let workDir: string;
    let env: NodeJS.ProcessEnv;
    const helm = (...args: string[]) => execFileSync(toolchainBin("helm"), args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    const pulumi = (...args: string[]) => execFileSync("pulumi", [...args, "--stack", STACK], { cwd: workDir, env, encoding: "utf8" });
    const migrate = (...args: string[]) => spawnSync("bash", [join(ROOT, "scripts", "migrate-from-helm.sh"), ...args], { cwd: workDir, env, encoding: "utf8" });
    const stackFile = () => parse(readFileSync(join(workDir, `Pulumi.${STACK}.yaml`), "utf8")) as { config?: Record<string, unknown> };
    const chartSecret = (): Record<string, string> => {
        const data = kubectlJson<{ data: Record<string, string> }>("get", "secret", "the0-secrets", "-n", CHART_NAMESPACE).data;
        return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v, "base64").toString()]));
    };

    before(() => {
        helm("install", "the0", peerChartDir(), "-n", CHART_NAMESPACE, "--create-namespace",
            "--set", "the0Api.env.JWT_SECRET=the-chart-install-signs-sessions-with-this-0123456789",
            "--set", "the0Api.env.THE0_ADMIN_EMAIL=admin@the0.local", "--set", "the0Api.env.THE0_ADMIN_PASSWORD=chart-admin-password",
            "--set", "the0Api.replicas=2");
        workDir = mkdtempSync(join(tmpdir(), "the0-migrate-"));
        for (const f of ["Pulumi.yaml", "main.js", "index.ts", "package.json", "tsconfig.json", "components"]) cpSync(join(ROOT, f), join(workDir, f), { recursive: true });
        symlinkSync(join(ROOT, "node_modules"), join(workDir, "node_modules"));
        mkdirSync(join(workDir, ".state"));
        env = { ...process.env, THE0_PROJECT_DIR: workDir, PULUMI_BACKEND_URL: `file://${join(workDir, ".state")}`, PULUMI_CONFIG_PASSPHRASE: "the0-migrate", PULUMI_SKIP_UPDATE_CHECK: "true" };
        execFileSync("pulumi", ["stack", "init", STACK, "--secrets-provider", "passphrase"], { cwd: workDir, env, encoding: "utf8" });
    });

    after(() => {
        try {
            spawnSync(toolchainBin("helm"), ["uninstall", "other", "-n", CHART_NAMESPACE]);
            helm("uninstall", "the0", "-n", CHART_NAMESPACE, "--wait");
        } finally {
            kubectl("delete", "namespace", CHART_NAMESPACE, "--ignore-not-found", "--wait=true", "--timeout=5m");
            removeScratch(workDir);
        }
    });

    it("a dry run prints the config and where each secret comes from, and writes nothing", () => {
        const r = migrate("--release", "the0", "--namespace", CHART_NAMESPACE, "--stack", STACK);
        expect(r.status, r.stderr).to.equal(0);
        expect(r.stdout).to.include(`stack ${STACK}: the0 from release the0 (namespace ${CHART_NAMESPACE}), deployed beside it into namespace ${CHART_NAMESPACE}-next`);
        expect(r.stdout).to.include('  config apps.api.replicas = 2');
        expect(r.stdout).to.include("  secret postgresPassword: from Secret the0-secrets, key postgresql-password");
        expect(r.stdout).to.include("dry run: nothing written");
        for (const value of Object.values(chartSecret())) expect(r.stdout).to.not.include(value);
        expect(stackFile().config).to.equal(undefined);
    });

    it("--yes writes it: the credentials the chart runs with are the stack's secrets, in a new namespace", () => {
        const r = migrate("--release", "the0", "--namespace", CHART_NAMESPACE, "--stack", STACK, "--yes");
        expect(r.status, r.stderr).to.equal(0);
        expect(r.stdout).to.include(`wrote the config of stack ${STACK}`);
        expect(r.stdout).to.include("Next, by hand");
        const secret = chartSecret();
        const get = (key: string) => pulumi("config", "get", `${PROJECT}:${key}`).trim();
        expect(get("postgresPassword")).to.equal(secret["postgresql-password"]);
        expect(get("mongoRootPassword")).to.equal(secret["mongodb-root-password"]);
        expect(get("minioAccessKey")).to.equal(secret["minio-access-key"]);
        expect(get("minioSecretKey")).to.equal(secret["minio-secret-key"]);
        expect(get("jwtSecret")).to.equal(secret["jwt-secret"]);
        expect(get("rootAdminPassword")).to.equal("chart-admin-password");
        expect(get("namespace")).to.equal(`${CHART_NAMESPACE}-next`);
        expect(get("rootAdminEmail")).to.equal("admin@the0.local");
        const config = JSON.parse(pulumi("config", "--json")) as Record<string, { secret: boolean }>;
        for (const key of ["postgresPassword", "jwtSecret", "rootAdminPassword"]) expect(config[`${PROJECT}:${key}`].secret, key).to.equal(true);
    });

    it("the written stack previews cleanly beside the release (valid config, a free namespace, the cluster's kinds)", () => {
        const out = pulumi("preview", "--non-interactive");
        expect(out).to.match(/\+ +kubernetes:core\/v1:Namespace/);
        expect(out).to.not.include("error:");
    });

    it("a release of another chart is refused (exit 3), and nothing is written", () => {
        const chartDir = mkdtempSync(join(tmpdir(), "the0-other-chart-"));
        helm("create", join(chartDir, "other"));
        helm("install", "other", join(chartDir, "other"), "-n", CHART_NAMESPACE);
        const before = readFileSync(join(workDir, `Pulumi.${STACK}.yaml`), "utf8");
        const r = migrate("--release", "other", "--namespace", CHART_NAMESPACE, "--stack", STACK, "--yes");
        expect(r.status).to.equal(3);
        expect(r.stderr).to.include(`release other in ${CHART_NAMESPACE} is chart other-0.1.0, not the0's chart (the0-<version>): nothing to migrate`);
        expect(readFileSync(join(workDir, `Pulumi.${STACK}.yaml`), "utf8")).to.equal(before);
        removeScratch(chartDir);
    });
});
