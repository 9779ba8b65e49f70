// The metrics sources for real: the staging rendering's servers started as for the0, the exporter
// sidecars run with the args and env the program gives them, MinIO's own endpoint scraped without a
// token (as its rendered env allows), and every metric name the alerts and dashboards use found in
// the real scrapes. Only the listen addresses are moved to loopback ports.
import { expect } from "chai";
import { alertRules } from "../../components/monitoring/alerts";
import { dashboards } from "../../components/monitoring/dashboards";
import { METRICS_SOURCES } from "../../components/model/metricsSources";
import { fullName } from "../../components/k8s/meta";
import { apiMinio } from "./the0-api";
import { forPodUser, freePort, Loopback, start, stopAll, waitFor } from "../../tools/realPods/process";
import { toolchainBin } from "../../tools/toolchain/toolchainBin";
import { RenderedStack, renderStack } from "../../tools/realPods/render";
import { RunningPod, startMinio, startNats, startPostgres } from "../../tools/realPods/servers";

/** The metric names a scrape (Prometheus text format) holds. */
async function scrape(port: number, path: string): Promise<{ names: Set<string>; text: string }> {
    const res = await fetch(`http://127.0.0.1:${port}${path}`);
    if (res.status !== 200) throw new Error(`GET ${path}: ${res.status}`);
    const text = await res.text();
    const names = new Set(text.split("\n").filter((l) => l && !l.startsWith("#")).map((l) => l.split(/[{ ]/)[0]));
    return { names, text };
}

/** Metric names the alerts and dashboards use, with a given prefix. */
function namesUsed(r: RenderedStack, prefix: RegExp): string[] {
    const exprs = [...alertRules(r.plan).map((a) => a.expr), ...dashboards(r.plan).flatMap((d) => d.panels.flatMap((p) => p.queries.map((q) => q.expr)))];
    const names = new Set(exprs.flatMap((e) => [...e.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\{/g)].map((m) => m[1])).filter((n) => prefix.test(n)));
    return [...names].sort();
}

/** Replaces a rendered `host:port` (or `:port`) listen or target address with a loopback one. */
function moveTo(args: string[], from: string, to: string): string[] {
    return args.map((a) => a.split(from).join(to));
}

describe("contract: metrics sources scraped for real (staging rendering)", function () {
    this.timeout(300_000);
    const lb = new Loopback();
    let r: RenderedStack;
    let nats: RunningPod[];
    let minio: RunningPod[];
    let pg: RunningPod;

    before(async () => {
        r = await renderStack("staging");
        nats = await startNats(r, lb);
        minio = await startMinio(r, lb);
        pg = await startPostgres(r, lb);
    });

    after(stopAll);

    it("NATS: the exporter sidecar, with its rendered args, serves JetStream and server metrics the alerts use; a formed cluster has a meta leader", async () => {
        const source = METRICS_SOURCES.nats;
        const sidecar = r.podContainers("StatefulSet", fullName(r.config, "nats"), nats[0].pod).find((c) => c.name === "metrics")!;
        expect(sidecar.image).to.equal(r.config.monitoring.images.natsExporter);
        const port = await freePort();
        const monitor = `127.0.0.1:${nats[0].ports.get(8222)}`;
        const args = moveTo(sidecar.args, `-port=${source.port.number}`, `-port=${port}`).map((a) => a.replace("http://127.0.0.1:8222", `http://${monitor}`));
        const exporter = start("nats-exporter", forPodUser(toolchainBin("prometheus-nats-exporter")), ["-addr=127.0.0.1", ...args], sidecar.env, sidecar.user);
        await waitFor("nats exporter", async () => (await scrape(port, source.path)).names.size > 0, 30_000, exporter);
        const used = namesUsed(r, /^(gnatsd_|jetstream_)/);
        expect(used).to.include.members(["gnatsd_varz_jetstream_stats_storage", "gnatsd_varz_jetstream_config_max_storage", "jetstream_server_total_streams"]);
        let last = new Set<string>();
        let leaders: string[] = [];
        await waitFor("a meta leader in the exporter's JetStream metrics", async () => {
            const s = await scrape(port, source.path);
            last = s.names;
            leaders = [...s.text.matchAll(/^jetstream_server_total_streams\{[^}]*meta_leader="([^"]*)"/gm)].map((m) => m[1]);
            return leaders.length > 0 && leaders.every((l) => l !== "");
        }, 60_000, exporter);
        for (const name of used) expect(last.has(name), name).to.equal(true);
    });

    it("MinIO: the cluster metrics endpoint answers without a token and holds what the alerts and dashboards use", async () => {
        const source = METRICS_SOURCES.objectStorage;
        expect(minio[0].container.env.MINIO_PROMETHEUS_AUTH_TYPE).to.equal("public");
        // Request counters appear per API once requests (and failed ones) are served: some traffic from the0's client.
        const client = apiMinio(lb.rewriteEnv(r.container("Deployment", fullName(r.config, "api")).env, [["MINIO_ENDPOINT", "MINIO_PORT"]]));
        await client.bucketExists("custom-bots");
        await client.statObject("no-such-bucket", "no-such-object").catch(() => undefined);
        const { names } = await scrape(minio[0].ports.get(source.port.number)!, source.path);
        const used = namesUsed(r, /^minio_/);
        expect(used).to.include("minio_cluster_nodes_offline_total");
        for (const name of used) expect(names.has(name), name).to.equal(true);
    });

    it("PostgreSQL: the exporter sidecar, with its rendered env (password apart from the URI), logs in and serves what the dashboards use", async () => {
        const source = METRICS_SOURCES.postgres;
        const sidecar = r.podContainers("StatefulSet", fullName(r.config, "postgres"), pg.pod).find((c) => c.name === "metrics")!;
        expect(sidecar.secretKeys.DATA_SOURCE_PASS).to.equal("postgresql-password");
        const port = await freePort();
        const env = { ...sidecar.env, DATA_SOURCE_URI: sidecar.env.DATA_SOURCE_URI.replace("127.0.0.1:5432", `127.0.0.1:${pg.ports.get(5432)}`) };
        const args = moveTo(sidecar.args, `:${source.port.number}`, `127.0.0.1:${port}`);
        const exporter = start("postgres-exporter", forPodUser(toolchainBin("postgres_exporter")), args, env, sidecar.user);
        let text = "";
        await waitFor("postgres exporter logged in (pg_up 1)", async () => {
            const s = await scrape(port, source.path);
            text = s.text;
            return /^pg_up 1$/m.test(s.text);
        }, 60_000, exporter);
        const names = new Set(text.split("\n").filter((l) => l && !l.startsWith("#")).map((l) => l.split(/[{ ]/)[0]));
        for (const name of namesUsed(r, /^pg_/)) expect(names.has(name), name).to.equal(true);
    });
});
