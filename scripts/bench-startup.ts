// `npm run bench:startup` (scripts/bench-startup.sh): the api's first successful start on a fresh
// install in this program's order and in the chart's (tools/bench/apiFirstStart.ts), alternated,
// RUNS times each (THE0_STARTUP_RUNS, default 10: the chart's order is a race, so its runs split in
// two groups, each reported apart). Prints a Markdown report and writes it into docs/performance.md
// between the STARTUP markers.
import { readFileSync, writeFileSync } from "fs";
import { join } from "path";
import { ApiStart, apiFirstStart, crashLoopDelayMs, StartOrder } from "../tools/bench/apiFirstStart";

const RUNS = Number(process.env.THE0_STARTUP_RUNS ?? 10);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function main(): Promise<void> {
    const runs: Record<StartOrder, ApiStart[]> = { ordered: [], "at once": [] };
    for (let i = 0; i < RUNS; i++) {
        const orders: StartOrder[] = i % 2 === 0 ? ["ordered", "at once"] : ["at once", "ordered"];
        for (const order of orders) runs[order].push(await apiFirstStart(order));
        console.error(`run ${i + 1} of ${RUNS} done`);
    }
    const won = runs["at once"].filter((x) => x.attempts === 1);
    const lost = runs["at once"].filter((x) => x.attempts > 1);
    const row = (label: string, xs: ApiStart[]) => {
        if (xs.length === 0) return `| ${label} | 0 | – | – | – |`;
        const ms = xs.map((x) => x.ms);
        return `| ${label} | ${xs.length} | ${s(median(ms))} (${s(Math.min(...ms))}–${s(Math.max(...ms))}) | ${[...new Set(xs.map((x) => x.attempts))].join(", ")} | ${s(median(xs.map((x) => x.postgresReadyMs)))} |`;
    };
    const mean = (xs: ApiStart[]) => xs.reduce((n, x) => n + x.ms, 0) / xs.length;
    const reasons = [...new Set(lost.flatMap((x) => x.crashes))];
    const out = [
        `### The api's first successful start on a fresh install (real processes, ${RUNS} runs of each order, alternated)`,
        "",
        "| Order | runs | to the api's first /health 200: median (min–max) | the api's starts | PostgreSQL ready (initdb, start, database) |",
        "| --- | --- | --- | --- | --- |",
        row("this program's: PostgreSQL Ready, then the api", runs.ordered),
        row("the chart's (both at once): the api reached its migrations after PostgreSQL was ready", won),
        row(`the chart's: the api got there first, exited, and was restarted after the kubelet's back-off (${crashLoopDelayMs(2) / 1000} s, then doubling)`, lost),
        "",
        `Mean over all runs: ${s(mean(runs.ordered))} in this program's order, ${s(mean(runs["at once"]))} in the chart's. ` +
        `Why the api's early starts exited: ${reasons.length ? reasons.map((r) => `\`${r}\``).join(", ") : "none did"}.`,
    ];
    const report = out.join("\n");
    console.log(report);
    const path = join(__dirname, "..", "docs", "performance.md");
    const doc = readFileSync(path, "utf8");
    if (!doc.includes("<!-- BEGIN STARTUP -->")) throw new Error(`${path} has no STARTUP markers`);
    writeFileSync(path, doc.replace(/(<!-- BEGIN STARTUP -->)[\s\S]*?(<!-- END STARTUP -->)/, `$1\n${report}\n$2`));
}

main().then(() => process.exit(0), (e) => {
    console.error(e);
    process.exit(1);
});
