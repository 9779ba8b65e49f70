// End-to-end: the program deployed with the Automation API onto a real kube-apiserver (the local
// kwok cluster from tools/offline-k8s/offline-k8s.sh cluster, or any cluster KUBECONFIG points at).
//
//   THE0_E2E_PROFILE=dev|cloud   which stack to deploy (dev = Pulumi.dev.yaml, cloud = Pulumi.staging.yaml)
//   KUBECONFIG                   the cluster; its current context is used
//
// The cluster runs cert-manager's controller (built by the toolchain, standing in for the
// cluster-addons project) with cert-manager's and Gateway API's CRDs. No ingress controller or
// Gateway implementation runs: a stand-in writes the Ingresses' load-balancer status, and no
// traffic flows. ACME cannot reach Let's Encrypt from here: the cloud run checks its wiring only.
import { catalogEntry } from "../../components/model/catalog";
import { Stack } from "@pulumi/pulumi/automation";
import { expect } from "chai";
import { execFileSync } from "child_process";
import { appendFileSync, readFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { PROJECT } from "../../tools/render/stackFiles";
import { restoreJob } from "../../components/backup/jobs";
import { backupJobName } from "../../components/plan/backups";
import { resolvePlan } from "../../components/plan/plan";
import { resolveConfig } from "../../components/config/resolve";
import { PlatformConfig } from "../../components/config/types";
import { BackupStore } from "../../components/model/backupStores";
import { rawStackConfig } from "../../tools/stack/stackConfig";
import { baseStackOf, createLocalStack, kubectl, kubectlJson, localSecrets, NAMESPACE, objectsOfOurs, policyOptions, Profile, pulumiEnv, removeScratch, ROOT, standInLoadBalancer } from "../../tools/localStack/localStack";
import { mkdtempSync, writeFileSync } from "fs";

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

/** Polls until `check` returns a value (not undefined), or fails with what it last saw. */
async function eventually<T>(what: string, check: () => T | undefined, seconds = 120): Promise<T> {
    const deadline = Date.now() + seconds * 1000;
    for (;;) {
        const v = check();
        if (v !== undefined) return v;
        if (Date.now() > deadline) throw new Error(`timed out after ${seconds} s waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 1000));
    }
}

/** The Certificates cert-manager made for the web hosts in `namespace`, once all are Ready. */
function readyCertificates(namespace: string, names: string[]): any[] | undefined {
    const items = kubectlJson<{ items: any[] }>("get", "certificates.cert-manager.io", "-n", namespace).items;
    const found = names.map((n) => items.find((c) => c.metadata.name === n));
    const ready = found.every((c) => c?.status?.conditions?.some((k: any) => k.type === "Ready" && k.status === "True"));
    return ready ? found : undefined;
}

/** `openssl verify` of a Secret's leaf against a root CA Secret's certificate (in `rootNamespace`), for one host name. */
function verifyChain(namespace: string, secret: string, rootSecret: string, host: string, rootNamespace = namespace): string {
    const dir = mkdtempSync(join(tmpdir(), "the0-tls-"));
    const pem = (ns: string, name: string) => Buffer.from(kubectlJson("get", "secret", name, "-n", ns).data["tls.crt"], "base64").toString("utf8");
    writeFileSync(join(dir, "root.pem"), pem(rootNamespace, rootSecret));
    writeFileSync(join(dir, "leaf.pem"), pem(namespace, secret));
    try {
        return execFileSync("openssl", ["verify", "-CAfile", join(dir, "root.pem"), "-verify_hostname", host, join(dir, "leaf.pem")], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
    } catch (e) {
        return `${(e as { stdout?: string }).stdout ?? ""}${(e as { stderr?: string }).stderr ?? ""}`.trim();
    }
}

const WEB_CERTIFICATES = ["the0-frontend-tls", "the0-api-tls", "the0-docs-tls"];

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
    let stopStandIn = (): void => undefined;
    /** The stack's config as the program resolves it (what `npm run restore` reads). */
    const cfg = (): PlatformConfig => config ?? fail("stack not created");

    before(async () => {
        stopStandIn = standInLoadBalancer(NAMESPACE);
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
        stopStandIn();
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
        const job = restoreJob(resolvePlan(cfg()), "postgres", { from: "latest", force: false });
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

    it("1k. TLS on the real API server: cert-manager issues the web hosts' certificates through the stack's issuer", async () => {
        const hosts = cfg().ingress.hosts;
        const hostOf: Record<string, string> = { "the0-frontend-tls": hosts.frontend, "the0-api-tls": hosts.api, "the0-docs-tls": hosts.docs };
        if (PROFILE === "dev") {
            // Ingress mode: ingress-shim turns each Ingress's TLS entry into a Certificate from the namespaced CA Issuer.
            const certs = await eventually("the web certificates to be Ready", () => readyCertificates(NAMESPACE, WEB_CERTIFICATES));
            for (const c of certs) {
                expect(c.spec.issuerRef, c.metadata.name).to.deep.include({ name: "the0-ca", kind: "Issuer" });
                expect(c.spec.dnsNames, c.metadata.name).to.deep.equal([hostOf[c.metadata.name]]);
                expect(verifyChain(NAMESPACE, c.metadata.name, "the0-root-ca", hostOf[c.metadata.name])).to.match(/: OK$/);
            }
            // The check can fail: the api's certificate is not valid for the docs host.
            expect(verifyChain(NAMESPACE, "the0-api-tls", "the0-root-ca", hosts.docs)).to.match(/hostname mismatch/);
        } else {
            // Gateway mode: gateway-shim makes a Certificate per HTTPS listener, for the ACME Issuer; ordering it needs Let's Encrypt.
            const certs = await eventually("gateway-shim's Certificates", () => {
                const items = kubectlJson<{ items: any[] }>("get", "certificates.cert-manager.io", "-n", NAMESPACE).items;
                const found = WEB_CERTIFICATES.map((n) => items.find((c) => c.metadata.name === n));
                return found.every((c) => c) ? found : undefined;
            });
            for (const c of certs) {
                expect(c.spec.issuerRef, c.metadata.name).to.deep.include({ name: "the0-letsencrypt-staging", kind: "Issuer" });
                expect(c.spec.dnsNames, c.metadata.name).to.deep.equal([hostOf[c.metadata.name]]);
                expect(c.metadata.ownerReferences[0], c.metadata.name).to.deep.include({ kind: "Gateway", name: "the0" });
            }
            const issuer = kubectlJson("get", "issuers.cert-manager.io", "the0-letsencrypt-staging", "-n", NAMESPACE);
            expect(issuer.spec.acme.solvers[0].http01.gatewayHTTPRoute.parentRefs[0]).to.deep.include({ name: "the0", sectionName: "http" });
            const routes = kubectlJson<{ items: any[] }>("get", "httproutes.gateway.networking.k8s.io", "-n", NAMESPACE).items;
            expect(routes.map((r) => r.metadata.name).sort()).to.deep.equal(["the0-api", "the0-docs", "the0-frontend", "the0-https-redirect"]);
            expect(routes.find((r) => r.metadata.name === "the0-api").spec.rules[0].timeouts).to.deep.equal({ request: "300s" });
        }
    });

    if (PROFILE === "dev") {
        it("1l. a second stack shares the cluster: its own issuer and certificates, and destroying it leaves the first untouched", async () => {
            const ns = "the0-review";
            const stopReview = standInLoadBalancer(ns);
            const review = await createLocalStack("dev", "e2e-review", true, { namespace: ns, domain: "review.the0.local", nodePorts: { enabled: false } });
            const firstCerts = () => kubectlJson<{ items: any[] }>("get", "certificates.cert-manager.io,issuers.cert-manager.io", "-n", NAMESPACE).items.map((o) => `${o.kind}/${o.metadata.name}/${o.metadata.uid}`).sort();
            const before = firstCerts();
            try {
                const up = await review.stack.up({ onOutput, ...policyOptions(review.workDir, "dev") });
                expect(up.summary.result).to.equal("succeeded");
                await eventually("the review stack's certificates", () => readyCertificates(ns, WEB_CERTIFICATES));
                expect(verifyChain(ns, "the0-api-tls", "the0-root-ca", "api.review.the0.local")).to.match(/: OK$/);
                // Each stack has a CA of its own: the first stack's root does not vouch for the review stack's certificate.
                expect(verifyChain(ns, "the0-api-tls", "the0-root-ca", "api.review.the0.local", NAMESPACE)).to.match(/unable to get local issuer certificate/);
                const destroyed = await review.stack.destroy({ onOutput });
                expect(destroyed.summary.result).to.equal("succeeded");
            } finally {
                stopReview();
                await review.stack.workspace.removeStack(review.stack.name).catch(() => undefined);
                removeScratch(review.workDir);
            }
            expect(kubectlJson<{ items: any[] }>("get", "namespaces").items.map((n) => n.metadata.name)).to.not.include(ns);
            expect(firstCerts()).to.deep.equal(before);
            expect(readyCertificates(NAMESPACE, WEB_CERTIFICATES), "the first stack's certificates").to.not.equal(undefined);
            const up = await stack.up({ onOutput, expectNoChanges: true, ...policyOptions(workDir, PROFILE) });
            expect(Object.keys(up.summary.resourceChanges ?? {})).to.deep.equal(["same"]);
        });
    }

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
