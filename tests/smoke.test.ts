// `npm run smoke`: the Job the program builds (hardened, its own identity, the0's Secret keys),
// the check's source (self-contained, valid for the api image's Node), the script's arguments,
// how it reads the Job's lines, which hosts it checks over TLS, and the TLS check itself against a
// local server with certificates made here.
import { expect } from "chai";
import { mkdtempSync, rmSync } from "fs";
import { createServer, Server } from "https";
import { tmpdir } from "os";
import { join } from "path";
import { Script } from "vm";
import { resolveConfig } from "../components/config/resolve";
import { SECRET_KEYS } from "../components/model/secretKeys";
import { SMOKE_CHECKS, smokeCheckSource } from "../components/smoke/check";
import { resolvePlan } from "../components/plan/plan";
import { smokeJob, smokeServiceAccountName } from "../components/smoke/smokeJob";
import { PolicyConfig, RULES } from "../policy/rules";
import { checkHost, jobResults, parseArgs, tlsHosts, UsageError } from "../tools/commands/smoke";
import { TestCa } from "./support/testCa";
import { buildStack, committedStackSecrets, PROJECT, stackValues, T, unwrap } from "../tools/render/render";

const config = (stack: string, values: Record<string, string> = {}) =>
    resolveConfig({ project: PROJECT, stack, values: { ...stackValues(stack), ...values }, secretsProvided: Object.keys(committedStackSecrets(stack)) });

describe("smoke: the Job the program builds", () => {
    for (const stack of ["dev", "staging", "production"]) {
        it(`${stack}: passes every rule of the policy pack (hardened, pinned, requests and limits, no plain secret)`, () => {
            const cfg = config(stack);
            const job = smokeJob(resolvePlan(cfg));
            const policy: PolicyConfig = { profile: cfg.profile, protectDataVolumes: cfg.protectDataVolumes };
            const found: string[] = [];
            for (const rule of RULES) rule.check?.({ type: "kubernetes:batch/v1:Job", name: "smoke", props: job }, policy, (m) => found.push(`${rule.name}: ${m}`));
            expect(found).to.deep.equal([]);
        });
    }

    it("runs the api image as its own ServiceAccount with no token, never retried", () => {
        const cfg = config("staging");
        const job = smokeJob(resolvePlan(cfg)) as any;
        const pod = job.spec.template.spec;
        expect(pod.serviceAccountName).to.equal(smokeServiceAccountName(cfg));
        expect(pod.automountServiceAccountToken).to.equal(false);
        expect(pod.restartPolicy).to.equal("Never");
        expect(job.spec.backoffLimit).to.equal(0);
        expect(pod.containers[0].image).to.equal(cfg.apps.api.image);
        expect(job.metadata.namespace).to.equal(cfg.kubernetes.namespace);
    });

    it("reads every credential from the app Secret's keys, by reference", () => {
        const cfg = config("dev");
        const env = (smokeJob(resolvePlan(cfg)) as any).spec.template.spec.containers[0].env as Array<{ name: string; value?: string; valueFrom?: any }>;
        const refs = env.filter((e) => e.valueFrom).map((e) => [e.name, e.valueFrom.secretKeyRef.name, e.valueFrom.secretKeyRef.key]);
        expect(refs).to.deep.equal([
            ["THE0_ADMIN_PASSWORD", "the0-secrets", "admin-password"],
            ["NATS_URLS", "the0-secrets", "nats-url"],
            ["MINIO_ACCESS_KEY", "the0-secrets", "minio-access-key"],
            ["MINIO_SECRET_KEY", "the0-secrets", "minio-secret-key"],
        ]);
        for (const [, , key] of refs) expect(SECRET_KEYS as readonly string[]).to.include(key);
        expect(Object.fromEntries(env.filter((e) => e.value !== undefined).map((e) => [e.name, e.value]))).to.include({
            API_URL: "http://the0-api:3000", BOT_CONTROLLER_URL: "http://the0-bot-controller:9477", MINIO_ENDPOINT: "the0-minio", MINIO_PORT: "9000",
        });
    });

    it("names the existing Secret when the stack uses one", () => {
        const cfg = config("dev", { existingSecret: "my-the0" });
        const env = (smokeJob(resolvePlan(cfg)) as any).spec.template.spec.containers[0].env;
        expect(new Set(env.filter((e: any) => e.valueFrom).map((e: any) => e.valueFrom.secretKeyRef.name))).to.deep.equal(new Set(["my-the0"]));
    });

    it("the stack holds the smoke ServiceAccount (no token) and a NetworkPolicy for the smoke pods", async () => {
        const m = await buildStack("dev");
        const sa = unwrap(m.object(T.ServiceAccount, "the0-smoke").inputs);
        expect(sa.automountServiceAccountToken).to.equal(false);
        const policy = unwrap(m.object("kubernetes:networking.k8s.io/v1:NetworkPolicy", "the0-smoke").inputs);
        expect(policy.spec.podSelector.matchLabels["app.kubernetes.io/component"]).to.equal("smoke");
    });

    it("ships the check as self-contained JavaScript that Node can parse", () => {
        const source = smokeCheckSource();
        expect(() => new Script(source)).not.to.throw();
        expect(source).not.to.match(/require\("\.\.?\//);
        expect(source).to.include('require("nats")');
        for (const name of SMOKE_CHECKS) expect(source).to.include(`"${name}"`);
    });
});

describe("smoke: the script", () => {
    it("parses its arguments and refuses bad ones with the usage", () => {
        expect(parseArgs(["--stack", "staging"])).to.deep.equal({ stack: "staging", timeoutSeconds: 10, external: true });
        expect(parseArgs(["--stack", "dev", "--timeout", "30", "--no-external"])).to.deep.equal({ stack: "dev", timeoutSeconds: 30, external: false });
        expect(() => parseArgs([])).to.throw(UsageError, /usage: npm run smoke -- --stack <stack>/);
        expect(() => parseArgs(["--stack", "dev", "--timeout", "0"])).to.throw(UsageError, "--timeout must be a whole number of seconds from 1 to 120");
        expect(() => parseArgs(["--stack"])).to.throw(UsageError, "--stack needs a value");
        expect(() => parseArgs(["--stack", "dev", "--force"])).to.throw(UsageError, /unknown argument --force/);
    });

    it("reads one verdict per check from the Job's log, and a check that printed nothing fails", () => {
        const log = [
            "ok   api ready            GET /health/ready 200, nats, minio, postgres up",
            "FAIL admin login          POST /auth/login as admin@the0.local answered 401: Invalid credentials",
            "ok   jetstream streams    THE0_BOT_LOGS, THE0_EVENTS",
            "ok   bot-controller ready query server answers /health",
        ].join("\n");
        expect(jobResults(log, "Job the0-smoke finished without printing it")).to.deep.equal([
            { ok: true, name: "api ready", detail: "GET /health/ready 200, nats, minio, postgres up" },
            { ok: false, name: "admin login", detail: "POST /auth/login as admin@the0.local answered 401: Invalid credentials" },
            { ok: true, name: "jetstream streams", detail: "THE0_BOT_LOGS, THE0_EVENTS" },
            { ok: false, name: "buckets", detail: "no result from the smoke Job (Job the0-smoke finished without printing it)" },
            { ok: true, name: "bot-controller ready", detail: "query server answers /health" },
        ]);
    });

    it("checks the hosts a stack serves over TLS, and none without TLS", () => {
        expect(tlsHosts(config("dev"))).to.deep.equal(["the0.local", "api.the0.local", "docs.the0.local"]);
        expect(tlsHosts(config("staging"))).to.deep.equal(["staging.the0.example.com", "api.staging.the0.example.com", "docs.staging.the0.example.com"]);
        expect(tlsHosts(config("dev", { ingress: JSON.stringify({ enabled: false }) }))).to.deep.equal([]);
        expect(tlsHosts(config("dev", { apps: JSON.stringify({ docs: { enabled: false } }) }))).to.deep.equal(["the0.local", "api.the0.local"]);
    });
});

describe("smoke: the TLS check of a host", function () {
    this.timeout(20_000);
    let dir: string;
    let server: Server;
    let port: number;
    let ca: string;

    before(async () => {
        dir = mkdtempSync(join(tmpdir(), "the0-smoke-tls-"));
        const testCa = new TestCa(dir);
        const host = testCa.issue("api.the0.test", ["DNS:api.the0.test"]);
        ca = testCa.cert;
        server = createServer({ key: host.key, cert: host.cert }, (_req, res) => res.end("ok"));
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        port = (server.address() as { port: number }).port;
    });

    after(() => {
        server.close();
        rmSync(dir, { recursive: true, force: true });
    });

    it("passes for the host the certificate names, signed by the stack's CA", async () => {
        const l = await checkHost("api.the0.test", ca, true, 5, port, "127.0.0.1");
        expect(l.ok, l.detail).to.equal(true);
        expect(l.detail).to.match(/^valid for api\.the0\.test until \d{4}-\d{2}-\d{2}, issued by CN=the0 test root$/);
    });

    it("fails for another host, naming what the certificate is for", async () => {
        const l = await checkHost("docs.the0.test", ca, true, 5, port, "127.0.0.1");
        expect(l).to.deep.equal({ ok: false, name: "tls docs.the0.test", detail: "certificate is for DNS:api.the0.test, not docs.the0.test" });
    });

    it("fails when the chain does not lead to the expected root", async () => {
        const l = await checkHost("api.the0.test", undefined, true, 5, port, "127.0.0.1");
        expect(l.ok).to.equal(false);
        expect(l.detail).to.match(/^certificate not trusted: /);
    });

    it("fails when nothing answers, and says so", async () => {
        const l = await checkHost("api.the0.test", ca, true, 2, 1, "127.0.0.1");
        expect(l.ok).to.equal(false);
        expect(l.detail).to.match(/ECONNREFUSED/);
    });
});
