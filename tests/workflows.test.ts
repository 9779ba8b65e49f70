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
                // An environment chosen at dispatch: every choice must be a protected environment.
                const chosen = /^\$\{\{ inputs\.(\w+) \}\}$/.exec(env ?? "");
                const envs = chosen ? (workflow(file).on as { workflow_dispatch: { inputs: Record<string, { options?: string[] }> } }).workflow_dispatch.inputs[chosen[1]].options ?? [] : [env];
                expect(envs.length, `${file}: job ${name}`).to.be.greaterThan(0);
                for (const e of envs) expect(["staging", "production"], `${file}: job ${name}`).to.include(e);
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

describe("workflows: the add-ons and the throwaway stacks", () => {
    it("deploy-addons.yml runs pulumi up of the cluster-addons project, by hand, for a cluster chosen among the protected environments", () => {
        const wf = workflow("deploy-addons.yml");
        expect(Object.keys(wf.on as object)).to.deep.equal(["workflow_dispatch"]);
        const steps = wf.jobs.up.steps as Array<{ uses?: string; with?: { command?: string; "work-dir"?: string } }>;
        const up = steps.find((s) => s.uses?.startsWith("pulumi/actions"))!;
        expect(up.with).to.deep.include({ command: "up", "work-dir": "cluster-addons" });
    });

    it("destroy.yml destroys only a stack tagged the0:ephemeral (stack:init --ephemeral), checked before it reads a cluster credential", () => {
        const steps = workflow("destroy.yml").jobs.destroy.steps as Array<{ name?: string; run?: string; uses?: string; with?: { command?: string } }>;
        const check = steps.findIndex((s) => (s.run ?? "").includes("pulumi stack tag get the0:ephemeral"));
        const kubeconfig = steps.findIndex((s) => (s.run ?? "").includes("ci-kubeconfig.sh"));
        const destroy = steps.findIndex((s) => s.with?.command === "destroy");
        expect(check, "the tag check").to.be.greaterThan(-1);
        expect(check).to.be.lessThan(kubeconfig);
        expect(kubeconfig).to.be.lessThan(destroy);
        expect(readFileSync(join(__dirname, "..", "scripts", "stack-init.sh"), "utf8")).to.include("pulumi stack tag set the0:ephemeral true");
    });
});
