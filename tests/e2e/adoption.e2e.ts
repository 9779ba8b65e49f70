// Never adopting a Helm install by accident, on the local control plane: the0's own chart 0.9.1 is
// installed with Helm into the namespace a stack targets, then preview and up of a plain and of a
// protected stack (the one whose provider upserts existing objects) both refuse before anything is
// written, naming the release, and no object of the chart is written: same UID, same spec
// generation (or resourceVersion), same field managers.
import { Stack } from "@pulumi/pulumi/automation";
import { expect } from "chai";
import { execFileSync } from "child_process";
import { appendFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { createLocalStack, kubectl, kubectlJson, NAMESPACE, pulumiEnv, removeScratch, ROOT } from "../../tools/localStack/localStack";
import { peerChartDir } from "../../tools/toolchain/peers";
import { toolchainBin } from "../../tools/toolchain/toolchainBin";

const LOG = process.env.THE0_E2E_LOG ?? join(tmpdir(), "the0-e2e-dev.log");
const KINDS = "deployments,statefulsets,cronjobs,services,secrets,configmaps,serviceaccounts,persistentvolumeclaims,roles,rolebindings";

// Controllers keep writing the status of the chart's workloads, claims and CronJob (kwok's pods turning
// Ready, a claim binding, a schedule's last run), which moves their resourceVersion without anyone
// touching the object. What a write by the stack would change is the object's identity, its spec
// (generation, or resourceVersion for kinds without one and no status), and its field managers.
const STATUS_CHURN = new Set(["Deployment", "StatefulSet", "CronJob", "PersistentVolumeClaim"]);

interface Meta {
    kind: string;
    metadata: { name: string; uid: string; resourceVersion: string; generation?: number; managedFields?: Array<{ manager: string; operation: string; subresource?: string }> };
}

/** kind/name -> what a write to it would change, for everything in the namespace. */
function snapshot(): Record<string, string> {
    const items = kubectlJson<{ items: Meta[] }>("get", KINDS, "-n", NAMESPACE).items;
    return Object.fromEntries(items.map((o) => {
        const md = o.metadata;
        const version = STATUS_CHURN.has(o.kind) ? `generation ${md.generation ?? "-"}` : `resourceVersion ${md.resourceVersion}`;
        const writers = (md.managedFields ?? []).filter((f) => f.subresource !== "status").map((f) => `${f.manager}/${f.operation}`).sort();
        return [`${o.kind}/${md.name}`, `${md.uid} ${version} written by ${writers.join(", ")}`];
    }));
}

describe("end-to-end: a stack pointed at a namespace where the0's Helm chart runs", function () {
    this.timeout(15 * 60 * 1000);
    const helm = (...args: string[]) => execFileSync(toolchainBin("helm"), args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    const onOutput = (s: string) => appendFileSync(LOG, s);
    const stacks: Array<{ stack: Stack; workDir: string }> = [];
    let chartObjects: Record<string, string>;

    before(() => {
        helm("install", "the0", peerChartDir(), "-n", NAMESPACE, "--create-namespace",
            "--set", "the0Api.env.JWT_SECRET=chart-jwt-secret-of-the-running-install", "--set", "the0Api.env.THE0_ADMIN_EMAIL=admin@the0.local", "--set", "the0Api.env.THE0_ADMIN_PASSWORD=chart-admin");
        chartObjects = snapshot();
    });

    after(async () => {
        for (const { stack, workDir } of stacks) {
            await stack.workspace.removeStack(stack.name, { force: true }).catch(() => undefined);
            removeScratch(workDir);
        }
        try {
            helm("uninstall", "the0", "-n", NAMESPACE, "--wait");
        } finally {
            kubectl("delete", "namespace", NAMESPACE, "--ignore-not-found", "--wait=true", "--timeout=5m");
        }
    });

    it("the chart is installed: its Deployments, its Services and Secret under the names the stack uses", () => {
        for (const o of ["Deployment/the0-api", "Deployment/the0-bot-controller", "Service/the0-postgres", "Secret/the0-secrets"]) expect(Object.keys(chartObjects), o).to.include(o);
    });

    const refusal = async (stack: Stack, run: "preview" | "up"): Promise<string> => {
        const op = run === "preview" ? stack.preview({ onOutput }) : stack.up({ onOutput });
        return op.then(() => "", (e: Error) => e.message);
    };
    const expectRefused = (message: string, stackName: string) => {
        expect(message).to.include(`Stack "${stackName}" would take over objects it did not create in namespace "${NAMESPACE}"`);
        expect(message).to.match(/Helm release "the0": names this stack would overwrite: Deployment the0-api, /);
        expect(message).to.match(/; Service [^;]*the0-postgres[,;]/);
        expect(message).to.include("; Secret the0-secrets");
        expect(message).to.include('"Coming from the Helm chart"');
    };

    it("a plain stack: preview and up refuse, naming the release; the chart's objects are untouched", async () => {
        const created = await createLocalStack("dev", "adopt-plain");
        stacks.push(created);
        expectRefused(await refusal(created.stack, "preview"), "adopt-plain");
        expectRefused(await refusal(created.stack, "up"), "adopt-plain");
        expect(snapshot()).to.deep.equal(chartObjects);
        // Nothing was registered: the stack holds its own root resource and nothing else.
        const resources = ((await created.stack.exportStack()).deployment.resources ?? []) as Array<{ type: string }>;
        expect(resources.map((r) => r.type)).to.deep.equal(["pulumi:pulumi:Stack"]);
    });

    it("a protected stack (its provider upserts existing objects): up refuses the same way, the chart untouched", async () => {
        const created = await createLocalStack("dev", "adopt-protected", true, { protectDataVolumes: true });
        stacks.push(created);
        // A protected stack's credentials must outlive its state: stack:init stores them, as for a user.
        appendFileSync(LOG, execFileSync("bash", [join(ROOT, "scripts", "stack-init.sh"), created.stack.name], {
            cwd: created.workDir, env: { ...process.env, ...pulumiEnv(created.workDir), THE0_PROJECT_DIR: created.workDir }, encoding: "utf8",
        }));
        expectRefused(await refusal(created.stack, "up"), "adopt-protected");
        expect(snapshot()).to.deep.equal(chartObjects);
    });
});
