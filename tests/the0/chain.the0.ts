// The chain a user drives, with the0's own processes: through the api's HTTP interface a custom
// bot is uploaded and registered and a bot created; the api publishes the event on NATS; the
// bot-controller (the0's runtime, as the rendered Deployment runs it, with a token the API server
// issued for the rendered ServiceAccount) records the bot in MongoDB and creates its pod on the
// local control plane, in the stack's namespace where the rendered Pod Security and
// NetworkPolicies apply. Deleting the bot through the api removes the pod. The api and the
// controller differ from the rendering only by the rewrites they list (hosts and ports, and what
// the kubelet adds: KUBERNETES_SERVICE_HOST/PORT and the service-account files).
import { expect } from "chai";
import { MongoClient } from "mongodb";
import { fullName } from "../../components/k8s/meta";
import { BOT_QUERY_PORT } from "../../components/network/graph";
import { BOT_MANAGERS } from "../../components/network/policies";
import { podSpecOf, unwrap } from "../../tools/render/render";
import { httpStatus, Loopback, waitFor } from "../../tools/realPods/process";
import { runPodOk } from "../contract/jobs";
import { RenderedStack } from "../../tools/realPods/render";
import { apiServer, kubectlJson, manifests, selects, serviceAccountToken } from "./cluster";
import { startStack, stopStack, StackUnderTest } from "./stack";
import { runtimeImage } from "../../tools/realPods/images";
import { startPod } from "../../tools/realPods/sandbox";
import { ApiClient, CONTROLLER_HEALTH_PORT, exitCodeOf, realtimeBot, RunningThe0, startApi, startController } from "../../tools/realPods/the0";

const CONTROLLER_REWRITES = ["MONGO_URI", "NATS_URL", "MINIO_ENDPOINT", "arg --minio-endpoint", "KUBERNETES_SERVICE_HOST", "KUBERNETES_SERVICE_PORT"];

for (const stack of ["dev", "staging"]) {
    describe(`the chain a user drives: api → NATS → bot-controller → a bot pod on the cluster (${stack} rendering)`, function () {
        this.timeout(300_000);
        let s: StackUnderTest;
        let r: RenderedStack;
        let lb: Loopback;
        let api: RunningThe0;
        let controller: RunningThe0;
        let client: ApiClient;
        let botId: string;
        let namespace: string;

        before(async () => {
            s = await startStack(stack, { cluster: true });
            ({ r, lb, namespace } = s);
            const controllerPod = podSpecOf("Deployment", r.model.deployment(fullName(r.config, "bot-controller")));
            expect(controllerPod.automountServiceAccountToken, "the rendered bot-controller pod mounts its token").to.equal(true);
            controller = await startController(r, lb, apiServer(), serviceAccountToken(namespace, controllerPod.serviceAccountName));
            api = await startApi(r, lb);
            client = new ApiClient(`http://127.0.0.1:${api.ports.get(3000)}`);
            const login = await client.login(api.container.env.THE0_ADMIN_EMAIL, r.secret["admin-password"]);
            expect(login.status, JSON.stringify(login.json)).to.equal(201);
        });

        after(() => stopStack(s, { cluster: true }));

        it("the bot-controller runs with the rendered command, args and env; the only rewrites are hosts, ports and the kubelet's", async () => {
            expect(controller.rewrites.map((w) => w.what)).to.have.members(CONTROLLER_REWRITES);
            const { liveness, readiness } = controller.container.probes;
            for (const probe of [liveness!, readiness!]) {
                const port = controller.container.ports.find((p) => p.name === probe.httpGet!.port)!.containerPort;
                expect(port).to.equal(CONTROLLER_HEALTH_PORT);
                expect(await httpStatus(port, probe.httpGet!.path)).to.equal(200);
            }
            await waitFor("the controller's /readyz", async () => (await httpStatus(CONTROLLER_HEALTH_PORT, "/readyz")) === 200, 30_000, controller.process);
            expect(controller.process.log()).not.to.match(/reconciliation failed|forbidden/i);
        });

        it("a custom bot uploaded and registered through the api is stored and active", async () => {
            const bot = realtimeBot(`infra-bot-${Date.now().toString(36)}`);
            const { upload, register } = await client.registerCustomBot(bot.config, bot.files);
            expect(upload.status, JSON.stringify(upload.json)).to.equal(200);
            expect(register.status, JSON.stringify(register.json)).to.equal(201);
            expect(register.json.data.status).to.equal("active");
            const created = await client.call("POST", "/bot", { name: "infra-test-bot", config: { type: `realtime/${bot.config.name}`, version: bot.config.version } });
            expect(created.status, JSON.stringify(created.json)).to.equal(201);
            botId = created.json.id;
        });

        it("the bot-controller records the bot it received over NATS in MongoDB", async () => {
            const mongo = new MongoClient(lb.rewrite(r.secret["mongo-url"]));
            try {
                await mongo.connect();
                await waitFor("the bot in bot_runner.bots", async () => (await mongo.db("bot_runner").collection("bots").findOne({ id: botId })) !== null, 30_000, controller.process);
            } finally {
                await mongo.close();
            }
        });

        it("creates the bot's pod in the stack's namespace with the rendered runtime image and pull policy, admitted under Pod Security restricted", async () => {
            const pod = await waitForPod(namespace, botId, 90_000);
            const flag = (name: string) => controller.container.args.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
            const containers = [...(pod.spec.initContainers ?? []), ...pod.spec.containers];
            for (const c of containers) {
                expect(c.image, c.name).to.equal(flag("--runtime-image"));
                expect(c.imagePullPolicy, c.name).to.equal(flag("--runtime-image-pull-policy"));
            }
            const ns = kubectlJson("get", "namespace", namespace);
            expect(ns.metadata.labels["pod-security.kubernetes.io/enforce"]).to.equal("restricted");
            expect(pod.metadata.labels["the0.app/managed-by"]).to.equal("the0-bot-controller");
        });

        it("the pod is selected by the NetworkPolicy the program renders for bot pods: object storage out, the controller's queries in", async () => {
            const pod = await waitForPod(namespace, botId, 10_000);
            const policies = manifests(r, ["NetworkPolicy"]).filter((p) => selects(p.spec.podSelector, pod.metadata.labels));
            const own = policies.filter((p) => Object.keys(p.spec.podSelector).length > 0);
            expect(own.map((p) => p.metadata.name), "one policy of its own (besides the default deny)").to.have.length(1);
            expect(own[0].spec.podSelector.matchExpressions[0].values).to.deep.equal(BOT_MANAGERS);
            const queryPorts = pod.spec.containers.flatMap((c: any) => (c.ports ?? []).map((p: any) => p.containerPort));
            expect(queryPorts, "the bot's query sidecar port").to.include(BOT_QUERY_PORT);
            const controllerLabels = unwrap(r.model.deployment(fullName(r.config, "bot-controller"))).template.metadata.labels;
            const fromController = own[0].spec.ingress.find((rule: any) => rule.from.some((peer: any) => peer.podSelector && selects(peer.podSelector, controllerLabels)));
            expect(fromController?.ports.map((p: any) => p.port), "ingress from the bot-controller").to.include(BOT_QUERY_PORT);
            const minioLabels = unwrap(r.model.statefulSet(fullName(r.config, "minio"))).template.metadata.labels;
            const toMinio = own[0].spec.egress.find((rule: any) => (rule.to ?? []).some((peer: any) => peer.podSelector && selects(peer.podSelector, minioLabels)));
            expect(toMinio?.ports.map((p: any) => p.port), "egress to object storage").to.include(9000);
        });

        it("the gc CronJob's run (its buckets init container, then the0's runtime gc, as rendered) reads MongoDB and object storage and exits 0", async () => {
            const name = fullName(r.config, "gc");
            const [buckets, c] = r.podContainers("CronJob", name, `${name}-run`);
            expect(buckets.name).to.equal("buckets");
            // On a fresh install the runtime has not yet made bot-logs and bot-state, which the gc lists.
            runPodOk(r, lb, `${name}-run`, [buckets]);
            const gc = startPod(`${name}-run`, { ...c, args: c.args.map((a) => lb.rewrite(a)) }, runtimeImage(), { env: lb.rewriteEnv(c.env) });
            const code = await exitCodeOf(gc);
            expect(code, gc.log()).to.equal(0);
            expect(gc.log()).not.to.match(/"level":"ERROR"/);
        });

        it("deleting the bot through the api removes its pod", async () => {
            const deleted = await client.call("DELETE", `/bot/${botId}`);
            expect(deleted.status, JSON.stringify(deleted.json)).to.equal(200);
            await waitFor(`pod of bot ${botId} gone`, () => podsOf(namespace, botId).length === 0, 120_000, controller.process);
        });
    });
}

function podsOf(namespace: string, botId: string): any[] {
    return kubectlJson<{ items: any[] }>("get", "pods", "-n", namespace, "-l", `the0.app/bot-id=${botId}`).items.filter((p) => !p.metadata.deletionTimestamp);
}

async function waitForPod(namespace: string, botId: string, timeoutMs: number): Promise<any> {
    let pod: any;
    await waitFor(`a pod for bot ${botId}`, () => {
        pod = podsOf(namespace, botId)[0];
        return pod !== undefined;
    }, timeoutMs);
    return pod;
}
