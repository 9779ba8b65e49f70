// Operations that go wrong, tried as a hostile but realistic operator would, on the cloud profile's
// three-node local cluster with staging's config (scripts/e2e.sh, after platform.e2e.ts): a config
// mistake, a CLI killed mid-deploy, a hand scale, a hand-edited Secret, a drained node. Each
// scenario is one test; they share one stack and run in order.
import { Stack } from "@pulumi/pulumi/automation";
import { expect } from "chai";
import { execFileSync, spawn, spawnSync, SpawnSyncReturns } from "child_process";
import { createHash } from "crypto";
import { appendFileSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { PROJECT } from "../../tools/render/stackFiles";
import { createLocalStack, kubectl, kubectlJson, NAMESPACE, objectsOfOurs, policyOptions, pulumiEnv, removeScratch, ROOT } from "../../tools/localStack/localStack";

const LOG = process.env.THE0_E2E_LOG ?? join(tmpdir(), "the0-e2e-cloud.log");
const STACK = "e2e-ops";
const SECRET = "the0-secrets";
const WORKLOAD_KINDS = ["deployments", "statefulsets", "cronjobs"] as const;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(what: string, check: () => boolean, timeoutMs = 180_000, everyMs = 1000): Promise<void> {
    const start = Date.now();
    while (!check()) {
        if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
        await sleep(everyMs);
    }
}

interface Workload {
    kind: string;
    name: string;
    generation: number;
    template: any;
}

function workloads(): Workload[] {
    return WORKLOAD_KINDS.flatMap((kind) => kubectlJson<{ items: any[] }>("get", kind, "-n", NAMESPACE).items.map((o) => ({
        kind,
        name: o.metadata.name,
        generation: o.metadata.generation,
        template: kind === "cronjobs" ? o.spec.jobTemplate.spec.template : o.spec.template,
    })));
}

function uidsOfWorkloads(): Record<string, string> {
    return Object.fromEntries(WORKLOAD_KINDS.flatMap((kind) => kubectlJson<{ items: any[] }>("get", kind, "-n", NAMESPACE).items.map((o) => [`${kind}/${o.metadata.name}`, o.metadata.uid])));
}

/** Does a pod template read the Secret (env, envFrom or a volume)? */
function readsSecret(template: any): boolean {
    const spec = template.spec;
    const containers = [...(spec.initContainers ?? []), ...spec.containers];
    return containers.some((c: any) => (c.env ?? []).some((e: any) => e.valueFrom?.secretKeyRef?.name === SECRET) || (c.envFrom ?? []).some((e: any) => e.secretRef?.name === SECRET))
        || (spec.volumes ?? []).some((v: any) => v.secret?.secretName === SECRET);
}

function allReady(): boolean {
    return ["deployments", "statefulsets"].every((kind) => kubectlJson<{ items: any[] }>("get", kind, "-n", NAMESPACE).items
        .every((o) => (o.status.readyReplicas ?? 0) === o.spec.replicas && (o.status.updatedReplicas ?? 0) === o.spec.replicas));
}

/** Plugins of a dead CLI: a Pulumi plugin process whose parent is not a `pulumi` CLI. */
function orphanedPlugins(): string[] {
    const ps = execFileSync("ps", ["-eo", "pid=,ppid=,comm="], { encoding: "utf8" }).trim().split("\n").map((l) => l.trim().split(/\s+/));
    const comm = new Map(ps.map(([pid, , c]) => [pid, c]));
    // comm is cut at 15 characters: pulumi-resource-kubernetes shows as pulumi-resource.
    return ps.filter(([, ppid, c]) => /^pulumi-(resource|language|analyzer)/.test(c) && comm.get(ppid) !== "pulumi").map(([pid, , c]) => `${c} (pid ${pid})`);
}

describe("end-to-end: operations that go wrong (cloud profile, staging's config)", function () {
    this.timeout(30 * 60 * 1000);
    let stack: Stack;
    let workDir: string;
    let env: NodeJS.ProcessEnv;
    const onOutput = (s: string) => appendFileSync(LOG, s);
    const cli = (args: string[], extraEnv: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> => {
        const r = spawnSync(args[0], args.slice(1), { cwd: workDir, env: { ...env, ...extraEnv }, encoding: "utf8", maxBuffer: 256 * 2 ** 20 });
        appendFileSync(LOG, `$ ${args.join(" ")}\n${r.stdout}${r.stderr}`);
        return r;
    };
    const state = () => JSON.parse(cli(["pulumi", "stack", "export", "--stack", STACK]).stdout).deployment;

    before(async () => {
        ({ stack, workDir } = await createLocalStack("cloud", STACK));
        env = { ...process.env, ...pulumiEnv(workDir) };
    });

    after(async () => {
        for (const node of kubectlJson<{ items: any[] }>("get", "nodes").items) {
            if (node.spec.unschedulable) kubectl("uncordon", node.metadata.name);
        }
        if (stack) {
            await stack.destroy({ onOutput }).catch(() => undefined);
            await stack.workspace.removeStack(stack.name).catch(() => undefined);
        }
        if (workDir) removeScratch(workDir);
    });

    it("1. a config mistake is a clean list without a stack trace; a plaintext secret says it is now in the stack file", async () => {
        const plaintext = "plaintext-jwt-value-for-the-ops-test";
        await stack.setConfig(`${PROJECT}:jwtSecret`, { value: plaintext, secret: false });
        await stack.setConfig(`${PROJECT}:replicas`, { value: "3" });
        const r = cli(["pulumi", "preview", "--stack", STACK, "--non-interactive"]);
        const out = r.stdout + r.stderr;
        expect(r.status, out).to.not.equal(0);
        expect(out).to.include(`${PROJECT}:jwtSecret = "[not shown]": is a secret but was set in plaintext, so its value is now written in clear in Pulumi.${STACK}.yaml`);
        expect(out).to.include("remove it with `pulumi config rm jwtSecret`");
        expect(out).to.include(`${PROJECT}:replicas = "3": unknown config key; it is a field of an object key`);
        expect(out).to.match(/\(2 problems\)/);
        expect(out).to.not.match(/unhandled exception|^\s+at .*:\d+:\d+\)?$/m);
        expect(out).to.not.include(plaintext);
        await stack.removeConfig(`${PROJECT}:jwtSecret`);
        await stack.removeConfig(`${PROJECT}:replicas`);
    });

    it("2. an up killed with SIGKILL mid-deploy is recovered by npm run recover, with nothing orphaned or created twice", async () => {
        const child = spawn("pulumi", ["up", "--yes", "--skip-preview", "--non-interactive", "--stack", STACK], { cwd: workDir, env, stdio: "ignore" });
        const exited = new Promise((r) => child.once("exit", r));
        // Kill it while it waits for the first StatefulSet: its create is then in flight.
        await waitFor("the first StatefulSet", () => kubectl("get", "statefulsets", "-n", NAMESPACE, "-o", "name").trim() !== "", 300_000, 100);
        child.kill("SIGKILL");
        await exited;

        // What the operator finds: pending operations in the state (or, when the kill caught the CLI writing
        // it, a checkpoint it cannot read, which recover repairs: test 2b) and a locked stack.
        const exported = cli(["pulumi", "stack", "export", "--stack", STACK]);
        if (exported.status === 0) expect(JSON.parse(exported.stdout).deployment.pending_operations ?? [], "pending operations after the kill").to.not.be.empty;
        else expect(exported.stderr).to.match(/failed to load checkpoint/);
        const locked = cli(["pulumi", "up", "--yes", "--skip-preview", "--non-interactive", "--stack", STACK]);
        expect(locked.status).to.not.equal(0);
        expect(locked.stdout + locked.stderr).to.match(exported.status === 0 ? /locked/ : /locked|failed to load checkpoint/);

        const recover = cli(["bash", join(ROOT, "scripts", "recover.sh"), "--stack", STACK, "--yes"], { THE0_PROJECT_DIR: workDir });
        expect(recover.status, recover.stdout + recover.stderr).to.equal(0);
        expect(recover.stdout).to.include("no pending operations are left");
        expect(recover.stdout).to.include(`${STACK} is deployed again`);

        const deployment = state();
        expect(deployment.pending_operations ?? []).to.deep.equal([]);
        // Every object of ours in the cluster is in the state exactly once, and everything in the state exists.
        const tracked = deployment.resources
            .filter((r: any) => r.type.startsWith("kubernetes:") && !r.type.startsWith("pulumi:providers:"))
            .map((r: any) => `${r.outputs.kind}/${r.outputs.metadata.namespace ?? ""}/${r.outputs.metadata.name}`);
        expect(new Set(tracked).size, "objects tracked twice").to.equal(tracked.length);
        const live = objectsOfOurs(false).filter((o) => !/^(Pod|EndpointSlice|PersistentVolumeClaim|Job)\//.test(o)).map((o) => o.replace(/\/undefined\//, "//"));
        for (const o of live) expect(tracked, `${o} is in the cluster but not in the state`).to.include(o);
        for (const o of tracked) {
            const [kind, ns, name] = o.split("/");
            expect(() => kubectl("get", kind, name, ...(ns ? ["-n", ns] : [])), `${o} is in the state but not in the cluster`).to.not.throw();
        }
        expect(allReady(), "every Deployment and StatefulSet Ready").to.equal(true);
        expect(orphanedPlugins(), "plugins left running by the killed CLI").to.deep.equal([]);
    });

    it("2b. recover repairs a checkpoint a kill left unreadable: an emptied metadata sidecar is dropped (the checkpoint kept), a checkpoint that does not parse is put back from .bak", () => {
        // The file backend replaces <stack>.json by a rename but rewrites <stack>.json.attrs in place: the kill
        // of test 2 can land in either window. Both are made here on a stack of their own, deterministically.
        const repair = `${STACK}-repair`;
        const root = String(env.PULUMI_BACKEND_URL).replace(/^file:\/\//, "");
        const checkpoint = join(root, ".pulumi", "stacks", PROJECT, `${repair}.json`);
        expect(cli(["pulumi", "stack", "init", repair, "--secrets-provider", "passphrase"]).status).to.equal(0);
        try {
            expect(cli(["pulumi", "stack", "export", "--stack", repair]).status, "a new stack exports").to.equal(0);
            const recover = () => cli(["bash", join(ROOT, "scripts", "recover.sh"), "--stack", repair, "--yes", "--no-up"], { THE0_PROJECT_DIR: workDir });

            const current = readFileSync(checkpoint, "utf8");
            writeFileSync(`${checkpoint}.attrs`, "");
            expect(cli(["pulumi", "stack", "export", "--stack", repair]).stderr).to.match(/failed to load checkpoint: EOF/);
            const sidecar = recover();
            expect(sidecar.status, sidecar.stdout + sidecar.stderr).to.equal(0);
            expect(sidecar.stdout).to.include(`removed ${checkpoint}.attrs`);
            expect(cli(["pulumi", "stack", "export", "--stack", repair]).status, "exports again").to.equal(0);

            writeFileSync(`${checkpoint}.bak`, readFileSync(checkpoint, "utf8"));
            rmSync(`${checkpoint}.bak.attrs`, { force: true });
            writeFileSync(checkpoint, current.slice(0, Math.floor(current.length / 2)));
            expect(cli(["pulumi", "stack", "export", "--stack", repair]).stderr).to.match(/failed to load checkpoint/);
            const data = recover();
            expect(data.status, data.stdout + data.stderr).to.equal(0);
            expect(data.stdout).to.include(`and put back ${checkpoint}.bak`);
            expect(cli(["pulumi", "stack", "export", "--stack", repair]).status, "exports again").to.equal(0);
        } finally {
            cli(["pulumi", "stack", "rm", "--yes", "--force", repair]);
        }
    });

    it("3. a hand scale is undone by up --refresh, and the next up is not blocked", async () => {
        const autoscaled = new Set(kubectlJson<{ items: any[] }>("get", "horizontalpodautoscalers", "-n", NAMESPACE).items.map((h) => h.spec.scaleTargetRef.name));
        const target = kubectlJson<{ items: any[] }>("get", "deployments", "-n", NAMESPACE).items.find((d) => !autoscaled.has(d.metadata.name) && d.spec.replicas >= 1);
        expect(target, "a Deployment without an autoscaler").to.not.equal(undefined);
        const name = target.metadata.name;
        const declared = target.spec.replicas;
        kubectl("scale", "deployment", name, "-n", NAMESPACE, `--replicas=${declared + 2}`);
        const up = await stack.up({ onOutput, refresh: true, ...policyOptions(workDir, "cloud") });
        expect(up.summary.result).to.equal("succeeded");
        expect(kubectlJson("get", "deployment", name, "-n", NAMESPACE).spec.replicas).to.equal(declared);
        const next = await stack.up({ onOutput, expectNoChanges: true, ...policyOptions(workDir, "cloud") });
        expect(next.summary.result).to.equal("succeeded");
    });

    it("4. a Secret edited by hand is put back by up --refresh, which rolls exactly the pods that read it", async () => {
        const before = workloads();
        const uidsBefore = uidsOfWorkloads();
        const secretBefore = kubectlJson("get", "secret", SECRET, "-n", NAMESPACE);
        const original = secretBefore.data["jwt-secret"];
        kubectl("patch", "secret", SECRET, "-n", NAMESPACE, "--type", "merge", "-p", JSON.stringify({ data: { "jwt-secret": Buffer.from("tampered-by-hand").toString("base64") } }));
        const up = await stack.up({ onOutput, refresh: true, ...policyOptions(workDir, "cloud") });
        expect(up.summary.result).to.equal("succeeded");
        const secretAfter = kubectlJson("get", "secret", SECRET, "-n", NAMESPACE);
        expect(secretAfter.data["jwt-secret"]).to.equal(original);
        // Updated in place: neither the Secret nor any workload was replaced (a replaced StatefulSet takes its volumes along).
        expect(up.summary.resourceChanges?.replace ?? 0, "replacements").to.equal(0);
        expect(secretAfter.metadata.uid).to.equal(secretBefore.metadata.uid);
        expect(uidsOfWorkloads()).to.deep.equal(uidsBefore);

        const after = new Map(workloads().map((w) => [`${w.kind}/${w.name}`, w]));
        let rolled = 0;
        for (const w of before) {
            const now = after.get(`${w.kind}/${w.name}`)!;
            // Every pod that reads the Secret, databases included (they re-apply their passwords at start);
            // not CronJobs, whose pods read it when each run starts.
            const mustRoll = readsSecret(w.template) && w.kind !== "cronjobs";
            const changed = now.template.metadata.annotations?.["the0.app/secret-revision"] !== w.template.metadata.annotations?.["the0.app/secret-revision"];
            expect(changed, `${w.kind}/${w.name} ${mustRoll ? "reads the Secret and must roll" : "must not roll"}`).to.equal(mustRoll);
            expect(now.generation > w.generation, `${w.kind}/${w.name} generation`).to.equal(mustRoll);
            if (mustRoll) rolled++;
        }
        expect(rolled).to.be.greaterThan(3);
        await waitFor("every workload Ready after the roll", allReady);
    });

    it("5. no pod-template annotation reveals a secret: none is a digest or encoding of a Secret value", () => {
        const data = kubectlJson("get", "secret", SECRET, "-n", NAMESPACE).data as Record<string, string>;
        const revealing = new Set<string>();
        for (const [key, encoded] of Object.entries(data)) {
            const value = Buffer.from(encoded, "base64").toString("utf8");
            for (const text of [value, JSON.stringify([[key, value]])]) {
                revealing.add(text).add(Buffer.from(text).toString("base64"));
                for (const algo of ["md5", "sha1", "sha256", "sha512"]) {
                    revealing.add(createHash(algo).update(text).digest("hex")).add(createHash(algo).update(text).digest("base64"));
                }
            }
        }
        const annotations = workloads().flatMap((w) => Object.entries<string>(w.template.metadata.annotations ?? {}).map(([k, v]) => [`${w.name} ${k}`, v] as const));
        expect(annotations.length).to.be.greaterThan(3);
        for (const [where, value] of annotations) expect(revealing.has(value), where).to.equal(false);
    });

    it("6. a drained node keeps NATS at quorum and MinIO at full strength, and an image bump during the drain completes", async () => {
        const node = kubectlJson("get", "pod", "the0-nats-0", "-n", NAMESPACE).spec.nodeName as string;
        kubectl("drain", node, "--ignore-daemonsets", "--delete-emptydir-data", "--timeout=300s");
        const strength = (name: string) => kubectlJson("get", "statefulset", name, "-n", NAMESPACE).status.readyReplicas ?? 0;
        await waitFor("NATS 3/3 and MinIO 4/4 on the remaining nodes", () => strength("the0-nats") === 3 && strength("the0-minio") === 4);
        const pods = kubectlJson<{ items: any[] }>("get", "pods", "-n", NAMESPACE).items;
        expect(pods.filter((p) => p.spec.nodeName === node).map((p) => p.metadata.name), `pods left on ${node}`).to.deep.equal([]);

        const image = kubectlJson("get", "deployment", "the0-api", "-n", NAMESPACE).spec.template.spec.containers[0].image as string;
        const bumped = image.replace(/:([^:@/]+)$/, ":$1-drain");
        await stack.setConfig(`${PROJECT}:apps.api.image`, { value: bumped }, true);
        // Before nodeTaintsPolicy Honor, a new api replica could not schedule and this up failed after its 10-minute await.
        const up = await stack.up({ onOutput, ...policyOptions(workDir, "cloud") });
        expect(up.summary.result).to.equal("succeeded");
        const api = kubectlJson("get", "deployment", "the0-api", "-n", NAMESPACE);
        expect(api.spec.template.spec.containers[0].image).to.equal(bumped);
        expect(api.status.updatedReplicas).to.equal(api.spec.replicas);
        kubectl("uncordon", node);
    });

    it("7. destroy leaves no object of ours in the cluster", async () => {
        const result = await stack.destroy({ onOutput });
        expect(result.summary.result).to.equal("succeeded");
        expect(objectsOfOurs()).to.deep.equal([]);
    });
});
