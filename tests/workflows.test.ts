// Least privilege in delivery: pull-request previews see only read-only cluster credentials; the
// write credentials are used only by jobs that run in a protected environment.
import { expect } from "chai";
import { readdirSync, readFileSync } from "fs";
import { join } from "path";
import { parse } from "yaml";

const DIR = join(__dirname, "..", ".github", "workflows");
const WRITE_SECRETS = /secrets\.KUBECONFIG_(STAGING|PRODUCTION)\b/;

interface Job {
    environment?: string | { name: string };
    steps?: unknown[];
}

function workflow(file: string): { on: unknown; jobs: Record<string, Job> } {
    return parse(readFileSync(join(DIR, file), "utf8"));
}

describe("workflows: who sees which cluster credential", () => {
    it("the PR preview uses only the read-only preview kubeconfig and no environment", () => {
        const text = readFileSync(join(DIR, "preview.yml"), "utf8");
        expect(text).to.not.match(WRITE_SECRETS);
        expect(text).to.match(/secrets\.KUBECONFIG_PREVIEW_STAGING/);
        for (const job of Object.values(workflow("preview.yml").jobs)) expect(job.environment).to.equal(undefined);
    });

    it("every job that reads a write kubeconfig runs in a protected environment", () => {
        for (const file of readdirSync(DIR).filter((f) => f.endsWith(".yml"))) {
            for (const [name, job] of Object.entries(workflow(file).jobs)) {
                if (!WRITE_SECRETS.test(JSON.stringify(job))) continue;
                const env = typeof job.environment === "string" ? job.environment : job.environment?.name;
                expect(["staging", "production"], `${file}: job ${name}`).to.include(env);
            }
        }
    });
});

describe("workflows: every deploy checks the cluster first (npm run preflight)", () => {
    for (const [file, stack] of [["deploy-staging.yml", "staging"], ["deploy-production.yml", "production"]]) {
        it(`${file} runs \`npm run preflight -- --stack ${stack}\` right before pulumi up, in the same job`, () => {
            const steps = workflow(file).jobs.up.steps as Array<{ uses?: string; with?: { command?: string }; run?: string }>;
            const up = steps.findIndex((s) => s.uses?.startsWith("pulumi/actions") && s.with?.command === "up");
            expect(up, "pulumi up").to.be.greaterThan(0);
            expect(steps[up - 1]?.run ?? "").to.include(`npm run preflight -- --stack ${stack}`);
        });
    }
});

describe("workflows: every deploy asks whether the0 works", () => {
    for (const [file, stack] of [["deploy-staging.yml", "staging"], ["deploy-production.yml", "production"]]) {
        it(`${file} runs \`npm run smoke -- --stack ${stack}\` right after pulumi up, in the same job`, () => {
            const steps = workflow(file).jobs.up.steps as Array<{ uses?: string; with?: { command?: string }; run?: string }>;
            const up = steps.findIndex((s) => s.uses?.startsWith("pulumi/actions") && s.with?.command === "up");
            expect(up, "pulumi up").to.be.greaterThan(-1);
            expect(steps[up + 1]?.run ?? "").to.include(`npm run smoke -- --stack ${stack}`);
        });
    }
});
