// End-to-end: the program deployed with the Automation API onto a real kube-apiserver (the local
// kwok cluster from tools/offline-k8s/offline-k8s.sh cluster, or any cluster KUBECONFIG points at).
//
//   THE0_E2E_PROFILE=dev|cloud   which stack to deploy (dev = Pulumi.dev.yaml, cloud = Pulumi.staging.yaml)
//   KUBECONFIG                   the cluster; its current context is used
//
// Parts the simulated cluster cannot serve are switched off by config: Ingress (no controller
// reports status, and the cert-manager chart cannot be fetched offline).
import { catalogEntry } from "../../components/model/catalog";
import { Stack } from "@pulumi/pulumi/automation";
import { expect } from "chai";
import { execFileSync } from "child_process";
import { appendFileSync, readFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { PROJECT } from "../../tools/render/stackFiles";
import { backupJobName, restoreJob } from "../../components/backup/jobs";
import { resolveConfig } from "../../components/config/resolve";
import { PlatformConfig } from "../../components/config/types";
import { BackupStore } from "../../components/model/backupStores";
import { rawStackConfig } from "../../scripts/lib/stackConfig";
import { baseStackOf, createLocalStack, kubectl, kubectlJson, localSecrets, NAMESPACE, objectsOfOurs, policyOptions, Profile, pulumiEnv, removeScratch, ROOT } from "./local-stack";

const PROFILE: Profile = process.env.THE0_E2E_PROFILE === "cloud" ? "cloud" : "dev";
const BASE_STACK = baseStackOf(PROFILE);
const LOG = process.env.THE0_E2E_LOG ?? join(tmpdir(), `the0-e2e-${PROFILE}.log`);

function canI(verb: string, resource: string, namespace = NAMESPACE, serviceAccount = "the0-bot-controller"): boolean {
    // `kubectl auth can-i get pods/log` would read "log" as an object name: subresources need a flag.
    const [res, sub] = resource.split("/");
    const args = ["auth", "can-i", verb, res, "-n", namespace, `--as=system:serviceaccount:${NAMESPACE}:${serviceAccount}`];
    if (sub) args.push(`--subresource=${sub}`);
    try {
        return kubectl(...args).trim() === "yes";
    } catch (e) {
        // `can-i` exits 1 when the answer is "no".
        const out = (e as { stdout?: string }).stdout ?? "";
        if (out.trim() === "no") return false;
        throw e;
    }
}

function fail(message: string): never {
    throw new Error(message);
}

function uidsOf(kind: string): Record<string, string> {
    const items = kubectlJson<{ items: any[] }>("get", kind, "-n", NAMESPACE).items;
    return Object.fromEntries(items.map((o) => [o.metadata.name, o.metadata.uid]));
}

describe(`end-to-end (${PROFILE} profile, stack based on Pulumi.${BASE_STACK}.yaml)`, function () {
    this.timeout(30 * 60 * 1000);
    let workDir: string;
    let stack: Stack;
    const onOutput = (s: string) => appendFileSync(LOG, s);

    let config: PlatformConfig | undefined;
    /** The stack's config as the program resolves it (what `npm run restore` reads). */
    const cfg = (): PlatformConfig => config ?? fail("stack not created");

    before(async () => {
        ({ stack, workDir } = await createLocalStack(PROFILE, `e2e-${PROFILE}`));
        if (PROFILE === "dev") {
            // Backups (into the in-cluster object storage) and monitoring (for the cluster's Prometheus Operator
            // CRDs; the chart of `stack: install` cannot be fetched offline) on, so both profiles deploy them.
            await stack.setAllConfig({
                [`${PROJECT}:backups.enabled`]: { value: "true" },
                [`${PROJECT}:monitoring.enabled`]: { value: "true" },
                [`${PROJECT}:monitoring.stack`]: { value: "existing" },
            }, true);
        }
        config = resolveConfig(rawStackConfig(stack.name, await stack.getAllConfig()));
    });

    after(async () => {
        if (stack) {
            try {
                await stack.destroy({ onOutput });
            } catch {
                // already destroyed by the test, or the cluster is gone
            }
            await stack.workspace.removeStack(stack.name).catch(() => undefined);
        }
        if (workDir) removeScratch(workDir);
    });

    it("1. up succeeds and exports the platform's URLs", async () => {
        const result = await stack.up({ onOutput, ...policyOptions(workDir, PROFILE) });
        expect(result.summary.result).to.equal("succeeded");
        // The policy pack ran and passed.
        expect(result.stdout).to.match(/the0-infra@v0\.1\.0/);
        expect(result.outputs.namespace.value).to.equal(NAMESPACE);
        expect(result.outputs.endpoints.value.botControllerQuery).to.equal("http://the0-bot-controller:9477");
        // Unset secrets were generated; configured ones were used verbatim.
        const data = kubectlJson("get", "secret", "the0-secrets", "-n", NAMESPACE).data;
        const decoded = (k: string) => Buffer.from(data[k], "base64").toString("utf8");
        expect(decoded("jwt-secret")).to.match(/^[A-Za-z0-9]{48}$/);
        // The configured password as is: validation admits only characters URL encoding leaves alone.
        expect(decoded("database-url")).to.equal(`postgresql://the0:${localSecrets().postgresPassword}@the0-postgres:5432/the0_oss?sslmode=disable`);
        expect(decoded("mongo-url")).to.equal(`mongodb://root:${encodeURIComponent(localSecrets().mongoRootPassword)}@the0-mongo:27017`);
    });

    it("1a. every Deployment and StatefulSet is Ready", () => {
        const deployments = kubectlJson<{ items: any[] }>("get", "deployments", "-n", NAMESPACE).items;
        expect(deployments.map((d) => d.metadata.name).sort()).to.deep.equal(["the0-api", "the0-bot-controller", "the0-docs", "the0-frontend"]);
        for (const d of deployments) {
            expect(d.status.readyReplicas, d.metadata.name).to.be.at.least(1);
            expect(d.status.readyReplicas, d.metadata.name).to.equal(d.status.replicas);
            expect(d.status.conditions.find((c: any) => c.type === "Available").status, d.metadata.name).to.equal("True");
        }
        const statefulSets = kubectlJson<{ items: any[] }>("get", "statefulsets", "-n", NAMESPACE).items;
        expect(statefulSets.map((s) => s.metadata.name).sort()).to.deep.equal(["the0-minio", "the0-mongo", "the0-nats", "the0-postgres"]);
        for (const s of statefulSets) expect(s.status.readyReplicas, s.metadata.name).to.equal(s.spec.replicas);
        if (PROFILE === "cloud") {
            expect(statefulSets.find((s) => s.metadata.name === "the0-nats").spec.replicas).to.equal(3);
            expect(statefulSets.find((s) => s.metadata.name === "the0-minio").spec.replicas).to.equal(4);
        }
    });

    it("1b. every PersistentVolumeClaim is Bound", () => {
        const pvcs = kubectlJson<{ items: any[] }>("get", "persistentvolumeclaims", "-n", NAMESPACE).items;
        expect(pvcs.length).to.equal(PROFILE === "cloud" ? 1 + 1 + 3 + 4 : 4);
        for (const p of pvcs) expect(p.status.phase, p.metadata.name).to.equal("Bound");
    });

    it("1c. every Service has ready endpoints", async () => {
        // Services skip Pulumi's endpoint await; the endpoint-slice controller may lag a moment.
        const missing = (): string[] => {
            const services = kubectlJson<{ items: any[] }>("get", "services", "-n", NAMESPACE).items;
            const slices = kubectlJson<{ items: any[] }>("get", "endpointslices", "-n", NAMESPACE).items;
            expect(services.length).to.be.greaterThan(8);
            return services.filter((svc) => {
                const mine = slices.filter((sl) => sl.metadata.labels?.["kubernetes.io/service-name"] === svc.metadata.name);
                const ready = mine.flatMap((sl) => sl.endpoints ?? []).filter((e: any) => e.conditions?.ready !== false || svc.spec.publishNotReadyAddresses);
                return ready.length === 0;
            }).map((svc) => svc.metadata.name);
        };
        let without = missing();
        for (let i = 0; i < 30 && without.length > 0; i++) {
            await new Promise((r) => setTimeout(r, 1000));
            without = missing();
        }
        expect(without, "Services without ready endpoints after 30 s").to.deep.equal([]);
    });

    it("1d. the gc CronJob exists with the0's schedule", () => {
        const cron = kubectlJson("get", "cronjob", "the0-gc", "-n", NAMESPACE);
        expect(cron.spec.schedule).to.equal("*/5 * * * *");
    });

    it("1e. the bot-controller can do exactly what the0 needs, and no more", () => {
        const all = ["get", "list", "watch", "create", "update", "patch", "delete"];
        // The catalog's rules (held to the0's chart by the contract suite), as kubectl names resources.
        const allowed: Record<string, string[]> = {};
        for (const rule of catalogEntry("botController").rbac ?? []) {
            for (const resource of rule.resources) allowed[rule.apiGroups[0] === "" ? resource : `${resource}.${rule.apiGroups[0]}`] = rule.verbs;
        }
        expect(Object.keys(allowed)).to.have.length.greaterThan(5);
        for (const [resource, verbs] of Object.entries(allowed)) {
            for (const verb of all) expect(canI(verb, resource), `${verb} ${resource}`).to.equal(verbs.includes(verb));
        }
        for (const [verb, resource] of [["get", "secrets"], ["list", "secrets"], ["create", "deployments.apps"], ["create", "roles.rbac.authorization.k8s.io"], ["create", "pods/exec"], ["patch", "services"], ["create", "persistentvolumeclaims"]]) {
            expect(canI(verb, resource), `${verb} ${resource}`).to.equal(false);
        }
        expect(canI("create", "pods", "default"), "pods outside the namespace").to.equal(false);
    });

    it("1f. every pod was admitted under Pod Security Admission restricted", () => {
        const ns = kubectlJson("get", "namespace", NAMESPACE);
        expect(ns.metadata.labels["pod-security.kubernetes.io/enforce"]).to.equal("restricted");
        const pods = kubectlJson<{ items: any[] }>("get", "pods", "-n", NAMESPACE).items;
        expect(pods.length).to.be.greaterThan(7);
        // The admission controller is live: a privileged pod is refused in this namespace.
        let refusal = "";
        try {
            kubectl("run", "psa-probe", "-n", NAMESPACE, "--image=registry.invalid/probe:1", "--restart=Never", "--dry-run=server",
                "--overrides", JSON.stringify({ spec: { containers: [{ name: "psa-probe", image: "registry.invalid/probe:1", securityContext: { privileged: true } }] } }));
        } catch (e) {
            refusal = String((e as { stderr?: string }).stderr ?? e);
        }
        expect(refusal).to.match(/violates PodSecurity "restricted/);
    });

    it("1g. secrets audit: no secret value in plain text in state, CLI output, outputs or non-Secret objects", async () => {
        // Every value in the app Secret is secret material: configured, generated and derived (URLs).
        const secret = kubectlJson("get", "secret", "the0-secrets", "-n", NAMESPACE);
        const named = new Map<string, string>();
        for (const [key, encoded] of Object.entries<string>(secret.data)) {
            const value = Buffer.from(encoded, "base64").toString("utf8");
            named.set(value, key);
            named.set(encodeURIComponent(value), `${key} (URL-encoded)`);
        }
        for (const [key, value] of Object.entries(localSecrets())) if (value !== "") named.set(value, `config ${key}`);
        const checked = [...named.keys()].filter((v) => v.length >= 8);
        expect(checked.length).to.be.greaterThan(10);

        const places: Record<string, string> = {
            // The CLI's own export (the Automation API's exportStack adds --show-secrets).
            "pulumi stack export": execFileSync("pulumi", ["stack", "export", "--stack", stack.name], { cwd: workDir, env: { ...process.env, ...pulumiEnv(workDir) }, encoding: "utf8", maxBuffer: 256 * 2 ** 20 }),
            "preview/up output": readFileSync(LOG, "utf8"),
            "stack outputs": JSON.stringify(await stack.outputs()),
            "non-Secret objects": JSON.stringify(kubectlJson<{ items: any[] }>("get", "all,configmaps,serviceaccounts,roles,rolebindings,networkpolicies,poddisruptionbudgets,endpointslices,events", "-A").items),
        };
        for (const [place, text] of Object.entries(places)) {
            expect(text.length, place).to.be.greaterThan(100);
            for (const value of checked) {
                const at = text.indexOf(value);
                const context = at < 0 ? "" : text.slice(Math.max(0, at - 120), at).replace(/\s+/g, " ");
                expect(at, `${place} contains ${named.get(value)} after: ${context}`).to.equal(-1);
            }
        }
        console.log(`      secrets audit: ${checked.length} secret values (and their URL-encoded forms) checked in ${Object.keys(places).length} places`);
    });

    it("1h. a backup CronJob per in-cluster store with its ServiceAccount and NetworkPolicy; a restore Job's pod is admitted under PSA restricted", async () => {
        const summary = (await stack.outputs()).backups.value;
        expect(summary.stores).to.deep.equal(["postgres", "mongo", "objectStorage"]);
        for (const store of summary.stores as BackupStore[]) {
            const name = backupJobName(cfg(), store);
            const cron = kubectlJson("get", "cronjob", name, "-n", NAMESPACE);
            expect(cron.spec, name).to.deep.include({ schedule: "17 2 * * *", timeZone: "Etc/UTC", concurrencyPolicy: "Forbid" });
            expect(cron.spec.jobTemplate.spec.template.spec.serviceAccountName).to.equal("the0-backup");
            expect(kubectlJson("get", "networkpolicy", name, "-n", NAMESPACE).spec.podSelector.matchLabels["app.kubernetes.io/component"]).to.equal(cron.metadata.labels["app.kubernetes.io/component"]);
        }
        expect(kubectlJson("get", "serviceaccount", "the0-backup", "-n", NAMESPACE).automountServiceAccountToken).to.equal(false);

        // What `npm run restore` creates, from the same builder: the Job controller creates its pod, which PSA admits.
        const job = restoreJob(cfg(), "postgres", { from: "latest", force: false });
        execFileSync("kubectl", ["create", "-f", "-"], { input: JSON.stringify(job), encoding: "utf8" });
        try {
            let pods: any[] = [];
            for (let i = 0; i < 60 && pods.length === 0; i++) {
                pods = kubectlJson<{ items: any[] }>("get", "pods", "-n", NAMESPACE, "-l", `job-name=${job.metadata.name}`).items;
                if (pods.length === 0) await new Promise((r) => setTimeout(r, 500));
            }
            const refusals = kubectlJson<{ items: any[] }>("get", "events", "-n", NAMESPACE, "--field-selector", `involvedObject.name=${job.metadata.name},reason=FailedCreate`).items;
            expect(refusals.map((e) => e.message), "the Job controller's pod creation refused").to.deep.equal([]);
            expect(pods, "restore pod").to.have.length(1);
            expect(pods[0].spec.initContainers.map((c: any) => c.name)).to.deep.equal(["fetch"]);
        } finally {
            kubectl("delete", "job", job.metadata.name, "-n", NAMESPACE, "--cascade=foreground", "--wait=true");
        }
    });

    it("1i. npm run restore runs a Job per store, with the api and bot-controller stopped meanwhile and started again", () => {
        const writers = ["the0-api", "the0-bot-controller"];
        const replicas = () => writers.map((d) => kubectlJson("get", "deployment", d, "-n", NAMESPACE).spec.replicas as number);
        const before = replicas();
        // Simulated pods of a Job complete at once (kwok), so this proves the script's orchestration; the data
        // round trip is the contract suite's (tests/contract/backup.contract.ts).
        const out = execFileSync("bash", [join(ROOT, "scripts", "restore.sh"), "--stack", stack.name, "--store", "all", "--from", "latest", "--yes"], {
            encoding: "utf8", env: { ...process.env, ...pulumiEnv(workDir), THE0_PROJECT_DIR: workDir }, maxBuffer: 64 * 2 ** 20,
        });
        appendFileSync(LOG, out);
        expect(out).to.include("the0-api and the0-bot-controller will be scaled to 0 while it runs");
        for (const store of ["postgres", "mongo", "objectStorage"]) expect(out).to.include(`restore: ${store}: done`);
        const jobs = kubectlJson<{ items: any[] }>("get", "jobs", "-n", NAMESPACE, "-l", "the0.app/restore=true").items;
        expect(jobs.map((j) => [j.metadata.name, j.status.succeeded]).sort()).to.deep.equal([["the0-restore-minio", 1], ["the0-restore-mongo", 1], ["the0-restore-postgres", 1]]);
        // Back at the replicas they had; one under an autoscaler may since have been moved by it (not below one).
        const autoscaled = new Set(kubectlJson<{ items: any[] }>("get", "hpa", "-n", NAMESPACE).items.map((h) => h.spec.scaleTargetRef.name));
        replicas().forEach((n, i) => {
            if (autoscaled.has(writers[i])) expect(n, writers[i]).to.be.at.least(1);
            else expect(n, writers[i]).to.equal(before[i]);
        });
        kubectl("delete", "jobs", "-n", NAMESPACE, "-l", "the0.app/restore=true", "--cascade=foreground", "--wait=true");
    });

    it("1j. the API server accepted a PodMonitor per metrics source, the PrometheusRule and the dashboards", async () => {
        const summary = (await stack.outputs()).monitoring.value;
        const monitors = kubectlJson<{ items: any[] }>("get", "podmonitors.monitoring.coreos.com", "-n", NAMESPACE).items;
        expect(monitors.map((m) => m.metadata.name).sort()).to.deep.equal(["the0-minio", "the0-nats", "the0-postgres"]);
        for (const m of monitors) expect(m.metadata.labels.release, m.metadata.name).to.equal("kube-prometheus-stack");
        const rule = kubectlJson("get", "prometheusrules.monitoring.coreos.com", "the0-alerts", "-n", NAMESPACE);
        expect(rule.spec.groups[0].rules.map((r: any) => r.alert)).to.deep.equal(summary.alerts);
        const boards = kubectlJson<{ items: any[] }>("get", "configmaps", "-n", NAMESPACE, "-l", "grafana_dashboard=1").items;
        expect(boards.length).to.equal(summary.dashboards.length);
        // The exporters run beside their servers.
        for (const sts of ["the0-nats", "the0-postgres"]) {
            expect(kubectlJson("get", "statefulset", sts, "-n", NAMESPACE).spec.template.spec.containers.map((c: any) => c.name), sts).to.include("metrics");
        }
    });

    it("2. a second up reports no changes and preview shows no diff", async () => {
        const up = await stack.up({ onOutput, expectNoChanges: true, ...policyOptions(workDir, PROFILE) });
        expect(Object.keys(up.summary.resourceChanges ?? {})).to.deep.equal(["same"]);
        const preview = await stack.preview({ onOutput, expectNoChanges: true, ...policyOptions(workDir, PROFILE) });
        expect(Object.keys(preview.changeSummary)).to.deep.equal(["same"]);
    });

    it("2a. the preview identity reads every kind of the stack, writes nothing, and runs preview --refresh", async () => {
        const sa = (await stack.outputs()).previewServiceAccount.value as string;
        for (const resource of ["secrets", "configmaps", "services", "deployments.apps", "statefulsets.apps", "cronjobs.batch", "roles.rbac.authorization.k8s.io", "networkpolicies.networking.k8s.io"]) {
            for (const verb of ["get", "list", "watch"]) expect(canI(verb, resource, NAMESPACE, sa), `${verb} ${resource}`).to.equal(true);
            for (const verb of ["create", "update", "patch", "delete"]) expect(canI(verb, resource, NAMESPACE, sa), `${verb} ${resource}`).to.equal(false);
        }
        for (const [verb, resource, ns] of [["get", "secrets", "default"], ["list", "pods", "kube-system"], ["create", "pods/exec", NAMESPACE], ["create", "serviceaccounts/token", NAMESPACE]]) {
            expect(canI(verb, resource, ns, sa), `${verb} ${resource} in ${ns}`).to.equal(false);
        }
        // A real preview with its kubeconfig: the provider falls back from a server-side dry-run (which needs patch) to a client-side diff.
        const kubeconfig = join(workDir, "preview-kubeconfig.yaml");
        execFileSync("bash", [join(ROOT, "scripts", "preview-kubeconfig.sh"), kubeconfig, sa, NAMESPACE, "1h"], { encoding: "utf8" });
        const out = execFileSync("pulumi", ["preview", "--refresh", "--non-interactive", "--stack", stack.name], {
            cwd: workDir, env: { ...process.env, ...pulumiEnv(workDir), KUBECONFIG: kubeconfig }, encoding: "utf8", maxBuffer: 64 * 2 ** 20,
        });
        appendFileSync(LOG, out);
        expect(out).to.not.match(/forbidden/i);
    });

    it("3. an image tag or replica change updates in place: no StatefulSet or PVC is replaced", async () => {
        const statefulSetsBefore = uidsOf("statefulsets");
        const pvcsBefore = uidsOf("persistentvolumeclaims");
        await stack.setConfig(`${PROJECT}:postgres.image`, { value: "postgres:15.14-alpine" }, true);
        await stack.setConfig(`${PROJECT}:apps.docs.replicas`, { value: "3" }, true);
        const preview = await stack.preview({ onOutput, ...policyOptions(workDir, PROFILE) });
        expect(preview.changeSummary.replace ?? 0, "replacements").to.equal(0);
        expect(preview.changeSummary.delete ?? 0, "deletions").to.equal(0);
        expect(preview.changeSummary.update, "updates").to.be.at.least(2);
        const up = await stack.up({ onOutput, ...policyOptions(workDir, PROFILE) });
        expect(up.summary.resourceChanges?.replace ?? 0).to.equal(0);
        expect(uidsOf("statefulsets")).to.deep.equal(statefulSetsBefore);
        expect(uidsOf("persistentvolumeclaims")).to.deep.equal(pvcsBefore);
        expect(kubectlJson("get", "statefulset", "the0-postgres", "-n", NAMESPACE).spec.template.spec.containers[0].image).to.equal("postgres:15.14-alpine");
        expect(kubectlJson("get", "deployment", "the0-docs", "-n", NAMESPACE).status.readyReplicas).to.equal(3);
    });

    it("4. destroy leaves no object of ours in the cluster", async () => {
        const result = await stack.destroy({ onOutput });
        expect(result.summary.result).to.equal("succeeded");
        expect(objectsOfOurs()).to.deep.equal([]);
        const namespaces = kubectlJson<{ items: any[] }>("get", "namespaces").items.map((n) => n.metadata.name);
        expect(namespaces).to.not.include(NAMESPACE);
    });
});
