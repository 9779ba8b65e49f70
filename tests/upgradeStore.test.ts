// `npm run upgrade-store`: its arguments, the steps it prints for a major change, and each refusal
// (an external store, a store without backups, nothing running, the same major, a tag without a version).
import { expect } from "chai";
import { resolveConfig } from "../components/config/resolve";
import { DeploymentPlan, resolvePlan } from "../components/plan/plan";
import { parseArgs, storeObjects, upgradeSteps, UsageError } from "../tools/commands/upgradeStore";
import { cloudValues, PROJECT, committedStackSecrets, stackValues } from "../tools/render/render";

const planOf = (stack: string, values: Record<string, string>, secrets: string[] = []): DeploymentPlan =>
    resolvePlan(resolveConfig({ project: PROJECT, stack, values: { ...stackValues(stack), ...values }, secretsProvided: [...Object.keys(committedStackSecrets(stack)), ...secrets] }));

describe("upgrade-store: a data store to a new major through a dump", () => {
    const staging = planOf("staging", cloudValues());
    const o = parseArgs(["--stack", "staging", "--store", "postgres", "--to", "postgres:16.14-alpine"]);

    it("arguments: stack, store (postgres or mongo), the new image; dry run unless --yes", () => {
        expect(o).to.deep.equal({ stack: "staging", store: "postgres", to: "postgres:16.14-alpine", yes: false });
        expect(parseArgs([...["--stack", "s", "--store", "mongo", "--to", "mongo:8.0.4"], "--yes"]).yes).to.equal(true);
        expect(() => parseArgs(["--stack", "s", "--store", "redis", "--to", "redis:8"])).to.throw(UsageError, "--store must be postgres or mongo");
        expect(() => parseArgs(["--stack", "s"])).to.throw(UsageError, "usage: npm run upgrade-store");
    });

    it("prints the four steps with the objects it removes and the backup it restores", () => {
        expect(storeObjects(staging.config, "postgres")).to.deep.equal({ statefulSet: "the0-postgres", claim: "data-the0-postgres-0", backupCronJob: "the0-backup-postgres" });
        const steps = upgradeSteps(staging, o, "postgres:15.13-alpine");
        expect(steps[0]).to.equal("upgrade-store: stack staging, PostgreSQL 15 (postgres:15.13-alpine) to 16 (postgres:16.14-alpine), through a dump:");
        expect(steps.join("\n")).to.include("statefulset the0-postgres, pvc data-the0-postgres-0");
        expect(steps.join("\n")).to.include("npm run restore -- --stack staging --store postgres --from <the time step 1 finished> --force --yes");
    });

    it("refuses what it cannot upgrade safely, saying what to do instead", () => {
        expect(() => upgradeSteps(staging, o, "postgres:16.2-alpine")).to.throw(UsageError, "postgres:16.2-alpine and postgres:16.14-alpine are both PostgreSQL 16: not a major change; set postgres.image and pulumi up");
        expect(() => upgradeSteps(staging, o, undefined)).to.throw(UsageError, "no PostgreSQL runs for stack staging (no StatefulSet the0-postgres): set postgres.image and pulumi up");
        expect(() => upgradeSteps(staging, { ...o, to: "postgres@sha256:" + "a".repeat(64) }, "postgres:15.13-alpine")).to.throw(UsageError, "its tag must name the PostgreSQL version");
        const dev = planOf("dev", {});
        expect(() => upgradeSteps(dev, { ...o, stack: "dev" }, "postgres:15.13-alpine")).to.throw(UsageError, "stack dev does not back up postgres (backups.enabled)");
        const external = planOf("staging", cloudValues({ postgres: JSON.stringify({ mode: "external", external: { host: "db.example.com" } }) }), ["postgresPassword"]);
        expect(() => upgradeSteps(external, o, "postgres:15.13-alpine")).to.throw(UsageError, "stack staging runs no PostgreSQL in the cluster (postgres.mode external): upgrade it with its provider");
    });
});
