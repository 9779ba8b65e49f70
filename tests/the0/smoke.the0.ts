// `npm run smoke`'s checks, proven against the0's real processes: the smoke Job's container (as
// the program builds it, with the api image it names) runs in a pod sandbox against the real api,
// NATS, MinIO and bot-controller of the dev rendering. It passes; then each seam is broken on
// purpose and exactly its line fails. On the simulated cluster only the Job's wiring is proven
// (kwok runs no container: admission, identity, network policy, and that a Job that printed
// nothing is reported as failed, not passed).
import { expect } from "chai";
import { connect, StreamConfig } from "nats";
import { fullName } from "../../components/k8s/meta";
import { SMOKE_CHECKS } from "../../components/smoke/check";
import { CUSTOM_BOTS_BUCKET, smokeJob, smokePod } from "../../components/smoke/smokeJob";
import { resolvePlan } from "../../components/plan/plan";
import { jobResults, runJob } from "../../tools/commands/smoke";
import { Loopback } from "../../tools/realPods/process";
import { renderStack, RenderedStack } from "../../tools/realPods/render";
import { apiMinio } from "../contract/the0-api";
import { apiServer, applyRendered, deleteNamespace, kubectlJson, manifests, selects, serviceAccountToken } from "./cluster";
import { apiImage } from "../../tools/realPods/images";
import { startPod } from "../../tools/realPods/sandbox";
import { startStack, stopStack, StackUnderTest } from "./stack";
import { exitCodeOf, RunningThe0, startApi, startController } from "../../tools/realPods/the0";
import { podSpecOf } from "../../tools/render/render";

describe("npm run smoke: its checks against the0's real processes (dev rendering)", function () {
    this.timeout(300_000);
    let s: StackUnderTest;
    let r: RenderedStack;
    let lb: Loopback;
    let api: RunningThe0;
    let controller: RunningThe0;
    let runs = 0;

    /** Runs the smoke Job's container as a pod here; returns the verdict per check and the exit code. */
    async function smoke(env: Record<string, string> = {}): Promise<{ failed: string[]; passed: string[]; code: number | null; log: string }> {
        const podName = `smoke-${++runs}`;
        const [c] = r.containersOf(podSpecOf("Job", { template: smokePod(r.plan, 5) }), podName);
        const p = startPod(podName, c, apiImage(), { env: { ...lb.rewriteEnv(c.env, [["MINIO_ENDPOINT", "MINIO_PORT"]]), ...env } });
        const code = await exitCodeOf(p);
        const lines = jobResults(p.log(), "the check exited");
        return { failed: lines.filter((l) => !l.ok).map((l) => l.name), passed: lines.filter((l) => l.ok).map((l) => l.name), code, log: p.log() };
    }

    before(async () => {
        s = await startStack("dev", { cluster: true });
        ({ r, lb } = s);
        controller = await startController(r, lb, apiServer(), serviceAccountToken(s.namespace, s.controllerAccount), { podName: "bot-controller-for-smoke" });
        api = await startApi(r, lb, { podName: "api-for-smoke" });
        lb.alias(fullName(r.config, "api"), 3000, api.ports.get(3000)!);
    });

    after(() => stopStack(s, { cluster: true }));

    it("passes on a working install: every line ok, exit 0", async () => {
        const run = await smoke();
        expect(run.failed, run.log).to.deep.equal([]);
        expect(run.passed).to.deep.equal([...SMOKE_CHECKS]);
        expect(run.code).to.equal(0);
    });

    it("a wrong admin password fails exactly 'admin login'", async () => {
        const run = await smoke({ THE0_ADMIN_PASSWORD: "not-the-admin-password" });
        expect(run.failed, run.log).to.deep.equal(["admin login"]);
        expect(run.log).to.match(/POST \/auth\/login as \S+ answered 401/);
        expect(run.code).to.equal(1);
    });

    it("a missing JetStream stream fails exactly 'jetstream streams', naming it", async () => {
        const nc = await connect({ servers: lb.rewrite(api.container.env.NATS_URLS) });
        try {
            const jsm = await nc.jetstreamManager();
            const config = (await jsm.streams.info("THE0_BOT_LOGS")).config as StreamConfig;
            await jsm.streams.delete("THE0_BOT_LOGS");
            try {
                const run = await smoke();
                expect(run.failed, run.log).to.deep.equal(["jetstream streams"]);
                expect(run.log).to.include("missing THE0_BOT_LOGS");
            } finally {
                await jsm.streams.add(config);
            }
        } finally {
            await nc.close();
        }
    });

    it("a missing bucket fails exactly 'buckets', naming it", async () => {
        const minio = apiMinio(lb.rewriteEnv(api.container.env, [["MINIO_ENDPOINT", "MINIO_PORT"]]));
        await minio.removeBucket(CUSTOM_BOTS_BUCKET);
        try {
            const run = await smoke();
            expect(run.failed, run.log).to.deep.equal(["buckets"]);
            expect(run.log).to.include(`missing ${CUSTOM_BOTS_BUCKET}`);
        } finally {
            await minio.makeBucket(CUSTOM_BOTS_BUCKET);
        }
    });

    it("a stopped bot-controller fails exactly 'bot-controller ready'", async () => {
        await controller.process.stop();
        try {
            const run = await smoke();
            expect(run.failed, run.log).to.deep.equal(["bot-controller ready"]);
        } finally {
            controller = await startController(r, lb, apiServer(), serviceAccountToken(s.namespace, s.controllerAccount), { podName: "bot-controller-for-smoke-again" });
        }
    });

    it("a stopped PostgreSQL fails 'api ready' (naming postgres) and 'admin login', nothing else", async () => {
        await s.postgres.process.stop();
        const run = await smoke();
        expect(run.failed, run.log).to.deep.equal(["api ready", "admin login"]);
        expect(run.log).to.match(/FAIL api ready\s+GET \/health\/ready answered 503: postgres down/);
    });
});

describe("npm run smoke: the Job's wiring on the simulated cluster (kwok runs no container)", function () {
    this.timeout(180_000);
    let r: RenderedStack;
    let namespace: string;

    before(async () => {
        r = await renderStack("dev");
        namespace = r.config.kubernetes.namespace;
        deleteNamespace(namespace);
        applyRendered(r);
    });

    after(() => deleteNamespace(namespace));

    it("creates the Job in the stack's namespace, its pod admitted under restricted as the smoke ServiceAccount without a token, selected by its own NetworkPolicy; a Job that printed nothing fails every line", async () => {
        const cfg = { ...r.config, kubernetes: { ...r.config.kubernetes, context: "" } };
        const lines = await runJob(resolvePlan(cfg), 2);
        const pods = kubectlJson<{ items: any[] }>("get", "pods", "-n", namespace, "-l", `job-name=${fullName(r.config, "smoke")}`).items;
        expect(pods, "the Job's pod was admitted").to.have.length(1);
        const pod = pods[0];
        expect(pod.spec.serviceAccountName).to.equal(fullName(r.config, "smoke"));
        expect(pod.spec.automountServiceAccountToken).to.equal(false);
        expect(pod.spec.containers[0].image).to.equal(r.config.apps.api.image);
        const own = manifests(r, ["NetworkPolicy"]).filter((p) => Object.keys(p.spec.podSelector).length > 0 && selects(p.spec.podSelector, pod.metadata.labels));
        expect(own.map((p) => p.metadata.name)).to.deep.equal([fullName(r.config, "smoke")]);
        expect(lines.map((l) => l.ok)).to.deep.equal(SMOKE_CHECKS.map(() => false));
        for (const l of lines) expect(l.detail).to.match(/^no result from the smoke Job/);
        expect(smokeJob(r.plan).metadata).to.deep.include({ name: fullName(r.config, "smoke"), namespace });
    });
});
