// The alerts and dashboards with Prometheus's own tool: `promtool check rules` on every stack's rules
// (templates included) and on every dashboard query, and `promtool test rules` on staging's alerts with
// tests/monitoring/alerts.test.yaml, where each alert has a case that fires and one that stays quiet (and the
// CloudNativePG alerts of a stack in that mode with tests/monitoring/cnpgAlerts.test.yaml).
import { expect } from "chai";
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "fs";
import { join } from "path";
import { parse, stringify } from "yaml";
import { ruleGroups } from "../../components/monitoring/alerts";
import { dashboards } from "../../components/monitoring/dashboards";
import { build, buildStack, cloudValues, Model } from "../../tools/render/render";
import { run, SCRATCH } from "../../tools/realPods/process";
import { toolchainBin } from "../../tools/toolchain/toolchainBin";

const TESTS = join(__dirname, "..", "monitoring", "alerts.test.yaml");
const CNPG_TESTS = join(__dirname, "..", "monitoring", "cnpgAlerts.test.yaml");

function promtool(args: string[]): string {
    return run(toolchainBin("promtool"), args);
}

describe("contract: alerts and dashboards, checked and unit-tested by promtool", function () {
    this.timeout(120_000);
    const dir = join(SCRATCH, "promtool");
    const stacks: Array<[string, Model]> = [];

    before(async () => {
        mkdirSync(dir, { recursive: true });
        stacks.push(["dev (monitoring on)", await buildStack("dev", { overrides: { monitoring: JSON.stringify({ enabled: true }) } })]);
        stacks.push(["staging", await buildStack("staging")]);
        stacks.push(["production", await buildStack("production")]);
        stacks.push(["cloud-cnpg (postgres.mode cloudnative-pg)", await build(cloudValues({ postgres: JSON.stringify({ mode: "cloudnative-pg" }) }))]);
    });

    it("accepts every stack's rules, with their summary and runbook templates", () => {
        for (const [name, m] of stacks) {
            const file = join(dir, `${name.split(" ")[0]}-full.yaml`);
            writeFileSync(file, stringify({ groups: ruleGroups(m.plan) }));
            expect(promtool(["check", "rules", file]), name).to.match(/SUCCESS: \d+ rules found/);
        }
    });

    it("fires each of staging's alerts where it should and nowhere else (promtool test rules)", () => {
        const [, staging] = stacks[1];
        // The logic under test: expressions, durations, labels. Annotations are the templates checked above.
        const groups = ruleGroups(staging.plan).map((g) => ({ ...g, rules: g.rules.map(({ annotations: _a, ...rule }) => rule) }));
        writeFileSync(join(dir, "rules.yaml"), stringify({ groups }));
        copyFileSync(TESTS, join(dir, "alerts.test.yaml"));
        const out = promtool(["test", "rules", join(dir, "alerts.test.yaml")]);
        expect(out).to.include("SUCCESS");

        // Every alert is covered both ways.
        const cases = (parse(readFileSync(TESTS, "utf8")).tests as Array<{ alert_rule_test: Array<{ alertname: string; exp_alerts: unknown[] }> }>).flatMap((t) => t.alert_rule_test);
        for (const rule of groups[0].rules) {
            const mine = cases.filter((c) => c.alertname === rule.alert);
            expect(mine.some((c) => c.exp_alerts.length > 0), `${rule.alert} fires somewhere`).to.equal(true);
            expect(mine.some((c) => c.exp_alerts.length === 0), `${rule.alert} stays quiet somewhere`).to.equal(true);
        }
        expect(new Set(cases.map((c) => c.alertname))).to.deep.equal(new Set(groups[0].rules.map((r) => r.alert)));
    });

    it("fires each CloudNativePG alert where it should and nowhere else (promtool test rules)", () => {
        const [, cnpg] = stacks[3];
        const groups = ruleGroups(cnpg.plan).map((g) => ({ ...g, rules: g.rules.filter((r) => r.alert.startsWith("The0Postgres")).map(({ annotations: _a, ...rule }) => rule) }));
        expect(groups[0].rules.map((r) => r.alert)).to.deep.equal(["The0PostgresDown", "The0PostgresInstancesShort", "The0PostgresReplicationLagging", "The0PostgresWalArchivingFailing", "The0PostgresBaseBackupLate"]);
        writeFileSync(join(dir, "cnpg-rules.yaml"), stringify({ groups }));
        copyFileSync(CNPG_TESTS, join(dir, "cnpgAlerts.test.yaml"));
        expect(promtool(["test", "rules", join(dir, "cnpgAlerts.test.yaml")])).to.include("SUCCESS");
        const cases = (parse(readFileSync(CNPG_TESTS, "utf8")).tests as Array<{ alert_rule_test: Array<{ alertname: string; exp_alerts: unknown[] }> }>).flatMap((t) => t.alert_rule_test);
        for (const rule of groups[0].rules) {
            const mine = cases.filter((c) => c.alertname === rule.alert);
            expect(mine.some((c) => c.exp_alerts.length > 0), `${rule.alert} fires somewhere`).to.equal(true);
            expect(mine.some((c) => c.exp_alerts.length === 0), `${rule.alert} stays quiet somewhere`).to.equal(true);
        }
    });

    it("parses every dashboard query", () => {
        for (const [name, m] of stacks) {
            const rules = dashboards(m.plan).flatMap((d) => d.panels.flatMap((p, i) => p.queries.map((q, j) => ({ record: `dashboard:${d.uid.replace(/-/g, "_")}:${i}_${j}`, expr: q.expr }))));
            expect(rules.length, name).to.be.greaterThan(10);
            const file = join(dir, `${name.split(" ")[0]}-dashboards.yaml`);
            writeFileSync(file, stringify({ groups: [{ name: "dashboards", rules }] }));
            expect(promtool(["check", "rules", file]), name).to.match(/SUCCESS/);
        }
    });
});
