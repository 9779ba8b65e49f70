// The data servers the0 starts on, as the program renders them: for the dev and staging stacks,
// real servers run with the rendered config, args, env and Secret, and their declared probes run
// against them. Only in-cluster host names and ports are mapped to 127.0.0.1. What the0's own api,
// bot-controller and gc do at start-up on these servers is proven with the real processes in
// tests/the0 (`npm run test:the0`); what stays here is what those processes cannot show.
import { expect } from "chai";
import { fullName } from "../../components/k8s/meta";
import { apiNats, Env } from "./the0-api";
import { Loopback, run, stopAll } from "../../tools/realPods/process";
import { toolchainBin } from "../../tools/toolchain/toolchainBin";
import { renderStack, RenderedStack } from "../../tools/realPods/render";
import { httpProbeStatus, RunningPod, runExecProbe, startMinio, startMongo, startNats, startPostgres } from "../../tools/realPods/servers";

/** Runs the runtime client (Go, the0's runtime libraries) and returns its JSON lines. */
function runtimeClient(command: string, env: Env, input?: string): Array<Record<string, unknown>> {
    const out = run(toolchainBin("the0-runtime-client"), [command], env as Record<string, string>, input);
    return out.trim().split("\n").filter((l) => l !== "").map((l) => JSON.parse(l));
}

for (const stack of ["dev", "staging"]) {
    describe(`contract: the data servers the0 starts on, from the ${stack} stack's rendering`, function () {
        this.timeout(180_000);
        let r: RenderedStack;
        const lb = new Loopback();
        let nats: RunningPod[];
        let pg: RunningPod;
        let minio: RunningPod[];
        let mongo: RunningPod;

        before(async () => {
            r = await renderStack(stack);
            nats = await startNats(r, lb);
            pg = await startPostgres(r, lb);
            minio = await startMinio(r, lb);
            mongo = await startMongo(r, lb);
        });

        after(stopAll);

        it("every server runs as its pod's user and group (securityContext runAsUser, runAsGroup), as the kubelet would start it", function () {
            if (process.getuid?.() !== 0) {
                // Only root can start a process as another user: say so where the run's output shows it.
                console.log(`      notice: the suite runs as uid ${process.getuid?.()}, not root: the servers run as that user, not as their pods' users; this check is skipped`);
                this.skip();
            }
            for (const p of [...nats, pg, ...minio, mongo]) {
                const { uid, gid } = p.container.user;
                expect(uid, `${p.pod}: the rendered runAsUser`).to.be.a("number").and.not.equal(0);
                expect(p.process.identity(), p.pod).to.deep.equal({ uids: [uid, uid], gids: [gid, gid] });
            }
        });

        it(`runs ${stack === "dev" ? "one NATS server" : "a NATS cluster"} from the rendered nats.conf, and its probes pass`, async () => {
            expect(nats).to.have.length(r.config.nats.replicas);
            for (const p of nats) {
                for (const probe of [p.container.probes.startup!, p.container.probes.liveness!, p.container.probes.readiness!]) {
                    expect(await httpProbeStatus(p, probe), `${p.pod} ${probe.httpGet!.path}`).to.equal(200);
                }
            }
            if (nats.length > 1) {
                const routez = await fetch(`http://127.0.0.1:${nats[0].ports.get(8222)}/routez`).then((x) => x.json() as Promise<{ num_routes: number }>);
                expect(routez.num_routes, "routes to every peer").to.be.at.least(nats.length - 1);
            }
        });

        it("the api's nats.js cannot use a NATS URL with credentials (why nats.auth and such a natsUrl are refused)", async () => {
            // What the program rendered before: user and password in the URL of the in-cluster Service.
            const withCredentials = `nats://the0:${r.secret["jwt-secret"]}@${fullName(r.config, "nats")}:4222`;
            let error: Error | undefined;
            try {
                (await apiNats({ NATS_URLS: withCredentials })).nc.close();
            } catch (e) {
                error = e as Error;
            }
            expect(error?.message).to.equal("Invalid URL");
        });

        it("PostgreSQL's pg_isready probes pass", () => {
            for (const probe of [pg.container.probes.liveness!, pg.container.probes.readiness!]) {
                expect(runExecProbe(pg, probe, { PGPORT: String(pg.ports.get(5432)) })).to.include("accepting connections");
            }
        });

        it("MinIO passes its probes", async () => {
            for (const p of minio) {
                for (const probe of [p.container.probes.liveness!, p.container.probes.readiness!]) expect(await httpProbeStatus(p, probe), `${p.pod} ${probe.httpGet!.path}`).to.equal(200);
            }
        });

        it("Mongo (FerretDB stand-in) accepts the runtime's MONGO_URI with the generated root password", () => {
            const env = lb.rewriteEnv({ MONGO_URI: r.secret["mongo-url"] });
            expect(runtimeClient("mongo-auth", {}, `${env.MONGO_URI}\n`)).to.deep.equal([{ ok: true }]);
            expect(mongo.process.running).to.equal(true);
        });
    });
}
