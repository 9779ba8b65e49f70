// Parity with the0's own chart (../shared/peers/the0-chart, rendered with `helm template`): every
// env var, Secret key, port, probe and runtime flag the chart gives a the0 container is in the
// program's dev rendering of the same container with the same value, or is a deliberate,
// explained difference (chart-differences.yaml). A new the0 release that adds something the
// program lacks fails here.
import { expect } from "chai";
import { existsSync, readFileSync } from "fs";
import { join } from "path";
import { parse, parseAllDocuments } from "yaml";
import { catalogEntry } from "../../components/model/catalog";
import { podSpecOf } from "../../tools/render/render";
import { run } from "../../tools/realPods/process";
import { peerChartDir } from "../../tools/toolchain/peers";
import { toolchainBin } from "../../tools/toolchain/toolchainBin";
import { renderStack, RenderedStack, WorkloadKind } from "../../tools/realPods/render";

/**
 * the0's chart: where THE0_CHART_DIR says (GitHub CI checks out the0's k8s/), else ../shared beside the
 * checkout, else beside the repository a local clone was made from (a scratch clone elsewhere).
 */
const CHART = peerChartDir();

interface Difference {
    container: string;
    env?: string;
    flag?: string;
    reason: string;
}

interface ChartContainer {
    command?: string[];
    args?: string[];
    env?: Array<{ name: string; value?: string; valueFrom?: { secretKeyRef?: { key: string } } }>;
    ports?: Array<{ name?: string; containerPort: number }>;
    livenessProbe?: { httpGet?: { path: string; port: number | string } };
    readinessProbe?: { httpGet?: { path: string; port: number | string } };
}

const CONTAINERS: Array<{ name: string; kind: WorkloadKind }> = [
    { name: "api", kind: "Deployment" },
    { name: "frontend", kind: "Deployment" },
    { name: "docs", kind: "Deployment" },
    { name: "bot-controller", kind: "Deployment" },
    { name: "gc", kind: "CronJob" },
];

/** `--flag=value` and `--flag value` alike. */
function flags(args: string[]): Map<string, string> {
    const out = new Map<string, string>();
    for (let i = 0; i < args.length; i++) {
        const a = args[i];
        if (!a.startsWith("--")) continue;
        const eq = a.indexOf("=");
        if (eq > 0) out.set(a.slice(0, eq), a.slice(eq + 1));
        else out.set(a, args[++i] ?? "");
    }
    return out;
}

function portNumber(ports: Array<{ name?: string; containerPort: number }>, port: number | string): number {
    return typeof port === "number" ? port : ports.find((p) => p.name === port)?.containerPort ?? -1;
}

describe("contract: parity with the0's chart 0.9.1", function () {
    this.timeout(120_000);
    let chart: Map<string, { kind: string; container: ChartContainer }>;
    let chartSecretKeys: string[];
    let chartRoleRules: Array<{ apiGroups: string[]; resources: string[]; verbs: string[] }>;
    let ours: RenderedStack;
    const differences = parse(readFileSync(join(__dirname, "chart-differences.yaml"), "utf8")) as Difference[];
    const used = new Set<Difference>();
    const deliberate = (container: string, what: { env?: string; flag?: string }): boolean => {
        const d = differences.find((x) => x.container === container && x.env === what.env && x.flag === what.flag);
        if (d) used.add(d);
        return d !== undefined;
    };

    before(async function () {
        if (!existsSync(join(CHART, "Chart.yaml"))) throw new Error(`the0's chart is not at ${CHART} (set THE0_CHART_DIR, or put ../shared/peers/the0-chart beside the checkout)`);
        // The chart's defaults plus the values it requires.
        const rendered = run(toolchainBin("helm"), ["template", "the0", CHART,
            "--set", "the0Api.env.JWT_SECRET=chart-jwt", "--set", "the0Api.env.THE0_ADMIN_EMAIL=admin@the0.local", "--set", "the0Api.env.THE0_ADMIN_PASSWORD=chart-admin"]);
        chart = new Map();
        chartSecretKeys = [];
        chartRoleRules = [];
        for (const doc of parseAllDocuments(rendered).map((d) => d.toJS()).filter(Boolean)) {
            if (doc.kind === "Secret") chartSecretKeys.push(...Object.keys(doc.stringData ?? doc.data ?? {}));
            if (doc.kind === "Role" && doc.metadata.name === "the0-bot-controller") chartRoleRules = doc.rules;
            if (doc.kind !== "Deployment" && doc.kind !== "CronJob") continue;
            const pod = podSpecOf(doc.kind, doc.spec);
            chart.set(doc.metadata.name, { kind: doc.kind, container: pod.containers[0] });
        }
        ours = await renderStack("dev");
    });

    it("renders every the0 container the program deploys", () => {
        for (const { name, kind } of CONTAINERS) expect(chart.get(`the0-${name}`)?.kind, name).to.equal(kind);
    });

    it("the app Secret has every key of the chart's Secret", () => {
        expect(chartSecretKeys.length).to.be.greaterThan(5);
        expect(Object.keys(ours.secret)).to.include.members(chartSecretKeys);
    });

    for (const { name, kind } of CONTAINERS) {
        it(`${name}: every env var, port, probe and flag of the chart, with a compatible value`, () => {
            const theirs = chart.get(`the0-${name}`)!.container;
            const mine = ours.container(kind, `the0-${name}`);
            const problems: string[] = [];

            for (const e of theirs.env ?? []) {
                let problem: string | undefined;
                if (!(e.name in mine.env)) {
                    problem = `env ${e.name} is missing`;
                } else if (e.valueFrom?.secretKeyRef) {
                    const key = e.valueFrom.secretKeyRef.key;
                    if (mine.secretKeys[e.name] !== key) problem = `env ${e.name} reads Secret key ${mine.secretKeys[e.name] ?? "(none)"}, the chart ${key}`;
                } else if (mine.env[e.name] !== e.value) {
                    // A value ours reads from the Secret is compared by value too (the chart's NATS URLs are literals).
                    problem = `env ${e.name} = ${JSON.stringify(mine.secretKeys[e.name] ? `<Secret ${mine.secretKeys[e.name]}>` : mine.env[e.name])}, the chart ${JSON.stringify(e.value)}`;
                }
                if (problem && !deliberate(name, { env: e.name })) problems.push(problem);
            }

            const myPorts = mine.ports.map((p) => `${p.name}:${p.containerPort}`);
            for (const p of theirs.ports ?? []) if (!myPorts.includes(`${p.name}:${p.containerPort}`)) problems.push(`port ${p.name}:${p.containerPort} is missing`);

            for (const kindOfProbe of ["livenessProbe", "readinessProbe"] as const) {
                const t = theirs[kindOfProbe]?.httpGet;
                if (!t) continue;
                const m = mine.probes[kindOfProbe === "livenessProbe" ? "liveness" : "readiness"]?.httpGet;
                if (!m || m.path !== t.path || portNumber(mine.ports, m.port) !== portNumber(theirs.ports ?? [], t.port)) {
                    problems.push(`${kindOfProbe} ${t.path} on ${t.port}: ours ${m ? `${m.path} on ${m.port}` : "none"}`);
                }
            }

            if (theirs.command) expect(mine.command, `${name} command`).to.deep.equal(theirs.command);
            const myFlags = flags(mine.args);
            for (const [flag, value] of flags(theirs.args ?? [])) {
                const problem = !myFlags.has(flag) ? `flag ${flag} is missing` : myFlags.get(flag) !== value ? `flag ${flag} = ${myFlags.get(flag)}, the chart ${value}` : undefined;
                if (problem && !deliberate(name, { flag })) problems.push(problem);
            }
            expect(problems, `${name} differs from the chart without a listed reason`).to.deep.equal([]);
        });
    }

    it("bot-controller: the Role grants exactly the chart's rules", () => {
        const key = (r: { apiGroups: string[]; resources: string[]; verbs: string[] }) => JSON.stringify([r.apiGroups, r.resources, [...r.verbs].sort()]);
        expect(chartRoleRules.length).to.be.greaterThan(5);
        expect(catalogEntry("botController").rbac!.map(key).sort()).to.deep.equal(chartRoleRules.map(key).sort());
    });

    it("lists no difference that no longer exists", () => {
        const stale = differences.filter((d) => !used.has(d)).map((d) => `${d.container} ${d.env ?? d.flag}`);
        expect(stale).to.deep.equal([]);
    });
});
