// the0's own frontend (Next.js, built from its v1.14.0 source; Google Fonts stood in at build time)
// started with exactly what the program renders for the dev and the staging stack, in front of the
// real api: its probes answer, a user signs in through it (BOT_API_URL), and it accepts the api's
// token on an admin route (the JWT_SECRET both read from the app Secret). A frontend given another
// JWT secret refuses that token, so the check can fail. Rewrites: the api's in-cluster URL → its
// loopback port, and the frontend's PORT.
import { expect } from "chai";
import { fullName } from "../../components/k8s/meta";
import { httpStatus, Loopback } from "../../tools/realPods/process";
import { RenderedStack } from "../../tools/realPods/render";
import { startStack, stopStack, StackUnderTest } from "./stack";
import { ApiClient, RunningThe0, startApi, startFrontend } from "../../tools/realPods/the0";

const FRONTEND_REWRITES = ["BOT_API_URL", "PORT"];

for (const stack of ["dev", "staging"]) {
    describe(`the0's frontend on the ${stack} stack's rendering, in front of the real api`, function () {
        this.timeout(300_000);
        let s: StackUnderTest;
        let r: RenderedStack;
        let lb: Loopback;
        let api: RunningThe0;
        let frontend: RunningThe0;
        let client: ApiClient;

        before(async () => {
            s = await startStack(stack, { cluster: false });
            ({ r, lb } = s);
            api = await startApi(r, lb, { podName: "api-for-frontend" });
            lb.alias(fullName(r.config, "api"), 3000, api.ports.get(3000)!);
            frontend = await startFrontend(r, lb);
            // The frontend serves the api's routes under /api (src/app/api), relaying them to BOT_API_URL.
            client = new ApiClient(`http://127.0.0.1:${frontend.ports.get(3000)}/api`);
        });

        after(() => stopStack(s, { cluster: false }));

        it("runs with the rendered env; the only rewrites are the api's URL and its own port", () => {
            expect(frontend.rewrites.map((w) => w.what)).to.have.members(FRONTEND_REWRITES);
        });

        it("answers the rendered liveness and readiness probes (a kubelet counts 200-399 as success)", async () => {
            for (const probe of [frontend.container.probes.liveness!, frontend.container.probes.readiness!]) {
                const port = frontend.container.ports.find((p) => p.name === probe.httpGet!.port)!.containerPort;
                const status = await httpStatus(frontend.ports.get(port)!, probe.httpGet!.path);
                expect(status, probe.httpGet!.path).to.be.within(200, 399);
            }
        });

        it("signs the root admin in through its own route, which calls the api at BOT_API_URL", async () => {
            const login = await client.login(api.container.env.THE0_ADMIN_EMAIL, r.secret["admin-password"]);
            expect(login.status, JSON.stringify(login.json)).to.equal(201);
            expect(login.json.data.user.role).to.equal("admin");
        });

        it("accepts the api's token on a route it guards itself (GET /api/bot verifies the JWT with its own JWT_SECRET)", async () => {
            const bots = await client.call("GET", "/bot");
            expect(bots.status, JSON.stringify(bots.json)).to.equal(200);
        });

        it("a frontend given another JWT secret refuses that token (the seam can fail)", async () => {
            const other = await startFrontend(r, lb, { podName: "frontend-other-jwt", env: { JWT_SECRET: `${r.secret["jwt-secret"]}-other` } });
            const stranger = new ApiClient(`http://127.0.0.1:${other.ports.get(3000)}/api`);
            stranger.token = client.token;
            const users = await stranger.call("GET", "/bot");
            expect(users.status, JSON.stringify(users.json)).to.equal(401);
            // the0's frontend answers this itself (src/lib/middleware/admin-auth.ts): the signature did not verify.
            expect(users.json).to.deep.equal({ error: "Unauthorized", code: "AUTH_ERROR", message: "Authentication verification failed" });
            await other.process.stop();
        });
    });
}
