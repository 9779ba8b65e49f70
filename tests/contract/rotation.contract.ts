// A rotated PostgreSQL password reaches the database. The official image applies POSTGRES_PASSWORD
// only when it initialises an empty data directory; the program's postStart hook applies it on
// every start. Here: a real PostgreSQL initialised from one rendering, the stack rendered again with
// another password, the hook that rendering carries run as the kubelet would (in the pod, as its
// user, over the local socket), and the0's api client connecting with each DATABASE_URL.
import { expect } from "chai";
import { dirname } from "path";
import { fullName } from "../../components/k8s/meta";
import { apiPostgres, Env } from "./the0-api";
import { Loopback, run, stopAll } from "../../tools/realPods/process";
import { RenderedStack, renderStack } from "../../tools/realPods/render";
import { psql, RunningPod, startPostgres } from "../../tools/realPods/servers";

/** Connects with the0's api code and runs a query; the error message if it cannot. */
async function apiConnects(env: Env): Promise<string> {
    const sql = apiPostgres({ ...env, DB_POOL_CONNECT_TIMEOUT: "5" });
    try {
        const [row] = await sql`select current_user as user`;
        return `connected as ${row.user}`;
    } catch (e) {
        return (e as Error).message;
    } finally {
        await sql.end({ timeout: 1 });
    }
}

describe("contract: a rotated PostgreSQL password reaches the database (postStart hook)", function () {
    this.timeout(180_000);
    const lb = new Loopback();
    let first: RenderedStack;
    let rotated: RenderedStack;
    let pg: RunningPod;
    const api = (r: RenderedStack) => lb.rewriteEnv(r.container("Deployment", fullName(r.config, "api")).env);
    const runHook = (r: RenderedStack) => {
        const c = r.container("StatefulSet", fullName(r.config, "postgres"));
        expect(c.postStart, "postStart hook").to.be.an("array");
        const [bin, ...args] = c.postStart!;
        // In the pod the socket is at libpq's default, /var/run/postgresql; here it is the pod's mapped directory.
        run(bin, args, { ...c.env, PGHOST: pg.socketDir!, PGPORT: String(pg.ports.get(5432)), PATH: `${dirname(psql())}:${process.env.PATH ?? ""}` }, undefined, c.user);
    };

    before(async () => {
        first = await renderStack("dev", { postgresPassword: "first-password-0123" });
        // A quote and parentheses: psql's :'password' quoting must carry them into SQL.
        rotated = await renderStack("dev", { postgresPassword: "rotated-pass'word-(4567)" });
        pg = await startPostgres(first, lb);
    });

    after(stopAll);

    it("the0's api connects with the password the database was initialised with, and the hook changes nothing", async () => {
        expect(await apiConnects(api(first))).to.equal("connected as the0");
        runHook(first);
        expect(await apiConnects(api(first))).to.equal("connected as the0");
    });

    it("after a rotation, the new pod's hook applies the new password: the0's api connects with it, not with the old one", async () => {
        expect(await apiConnects(api(rotated)), "before the hook").to.match(/password authentication failed/);
        runHook(rotated);
        expect(await apiConnects(api(rotated))).to.equal("connected as the0");
        expect(await apiConnects(api(first)), "the old password").to.match(/password authentication failed/);
        // Idempotent: a restart with the same Secret runs it again.
        runHook(rotated);
        expect(await apiConnects(api(rotated))).to.equal("connected as the0");
    });
});
