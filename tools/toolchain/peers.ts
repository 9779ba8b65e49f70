// Where the peers are (../shared/peers beside the checkout, or beside the repository a scratch clone
// came from): the0's own Helm chart, which the contract suite, the e2e and the benchmark compare with.
import { spawnSync } from "child_process";
import { existsSync } from "fs";
import { join } from "path";

const REPO = join(__dirname, "..", "..");

/** the0's chart 0.9.1 (THE0_CHART_DIR overrides). */
export function peerChartDir(): string {
    if (process.env.THE0_CHART_DIR) return process.env.THE0_CHART_DIR;
    const beside = (dir: string) => join(dir, "..", "shared", "peers", "the0-chart");
    if (existsSync(join(beside(REPO), "Chart.yaml"))) return beside(REPO);
    const origin = spawnSync("git", ["-C", REPO, "remote", "get-url", "origin"], { encoding: "utf8" }).stdout?.trim() ?? "";
    return origin.startsWith("/") ? beside(origin) : beside(REPO);
}
