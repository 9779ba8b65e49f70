// Each seam the suite proves can fail: one broken on purpose, the real process fails with a
// message that names it. Without these, a green run could mean the checks cannot see a break.
import { expect } from "chai";
import { fullName } from "../../components/k8s/meta";
import { freePort, Loopback, waitFor } from "../../tools/realPods/process";
import { RenderedStack } from "../../tools/realPods/render";
import { apiServer, kubectl, serviceAccountToken } from "./cluster";
import { startStack, stopStack, StackUnderTest } from "./stack";
import { startApi, startController } from "../../tools/realPods/the0";

describe("broken seams are seen: the0's processes name what is wrong (dev rendering)", function () {
    this.timeout(300_000);
    let s: StackUnderTest;
    let r: RenderedStack;
    let lb: Loopback;
    let namespace: string;

    before(async () => {
        s = await startStack("dev", { cluster: true });
        ({ r, lb, namespace } = s);
    });

    after(() => stopStack(s, { cluster: true }));

    it("the api with NATS at a dead port does not start, and says NATS", async () => {
        const dead = await freePort();
        let error: Error | undefined;
        try {
            await startApi(r, lb, { podName: "api-dead-nats", env: { NATS_URLS: `nats://127.0.0.1:${dead}` } });
        } catch (e) {
            error = e as Error;
        }
        expect(error?.message).to.match(/exited while waiting/);
        expect(error?.message).to.match(/NATS/i);
        expect(error?.message).to.include(String(dead));
    });

    it("the api with a wrong PostgreSQL password does not start, and says the database refused it", async () => {
        const url = new URL(lb.rewrite(r.secret["database-url"]));
        url.password = "not-the-password";
        let error: Error | undefined;
        try {
            await startApi(r, lb, { podName: "api-wrong-db-password", env: { DATABASE_URL: url.toString() } });
        } catch (e) {
            error = e as Error;
        }
        expect(error?.message).to.match(/exited while waiting/);
        expect(error?.message).to.match(/password authentication failed/);
    });

    it("the bot-controller with a token of a ServiceAccount without its Role cannot list pods, and says forbidden", async () => {
        // The smoke check's ServiceAccount exists in the rendering and is bound to no Role.
        const smokeAccount = fullName(r.config, "smoke");
        expect(kubectl(["get", "rolebindings", "-n", namespace, "-o", "jsonpath={.items[*].subjects[*].name}"])).not.to.include(smokeAccount);
        expect(smokeAccount).not.to.equal(s.controllerAccount);
        const controller = await startController(r, lb, apiServer(), serviceAccountToken(namespace, smokeAccount), { podName: "bot-controller-without-role" });
        try {
            await waitFor("the reconcile's answer", () => /forbidden/.test(controller.process.log()), 30_000, controller.process);
            // The runtime logs JSON; its messages quote the API server's answer.
            expect(controller.process.log().replace(/\\"/g, '"')).to.include(`[BotController] Initial reconciliation failed: failed to list pods from K8s: pods is forbidden: User "system:serviceaccount:${namespace}:${smokeAccount}" cannot list resource "pods"`);
        } finally {
            await controller.process.stop();
        }
    });
});
