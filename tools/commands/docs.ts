// Generates the reference tables of docs/kubernetes-deployment.md (and README's config table)
// from the program itself: each stack is built under Pulumi mocks and its registered objects are
// tabulated. Text between `<!-- BEGIN GENERATED: x -->` and `<!-- END GENERATED: x -->` is ours.
//   npm run docs             # rewrite the generated blocks
//   npm run docs -- --check  # exit 1 when a committed block is stale (tests/docs.test.ts does the same)
import { readFileSync, writeFileSync } from "fs";
import { join } from "path";
import { CONFIG_SCHEMA } from "../../components/config/schema";
import { GenerateWhen, secretSpecs } from "../../components/config/secretRegistry";
import { BACKUP_STORE_REGISTRY, BACKUP_STORES } from "../../components/model/backupStores";
import { alertRules } from "../../components/monitoring/alerts";
import { networkGraph, Peer } from "../../components/network/graph";
import { CHART_VALUE_ROWS } from "../migrate/chartValues";
import { buildStack, Model, podSpecOf, T, unwrap } from "../render/render";

const ROOT = join(__dirname, "..", "..");
const STACKS = ["dev", "staging", "production"] as const;
const FILES = ["docs/kubernetes-deployment.md", "README.md"];

type Row = string[];

/** Registration order under mocks is not stable; sort objects by name. */
function byName<T extends { inputs: Record<string, any> }>(items: T[]): T[] {
    const name = (x: T) => String(unwrap(x.inputs).metadata?.name ?? "");
    return [...items].sort((a, b) => name(a).localeCompare(name(b)));
}

function table(header: Row, rows: Row[]): string {
    const esc = (c: string) => c.replace(/\|/g, "\\|").replace(/\n/g, " ");
    return [header, header.map(() => "---"), ...rows].map((r) => `| ${r.map(esc).join(" | ")} |`).join("\n");
}

const code = (s: string | number) => `\`${s}\``;

function resources(c: any): string {
    const r = c.resources ?? {};
    return `${r.requests?.cpu}/${r.requests?.memory} → ${r.limits?.cpu}/${r.limits?.memory}`;
}

function probe(p: any): string {
    if (!p) return "–";
    const what = p.httpGet ? `GET ${p.httpGet.path} :${p.httpGet.port}` : p.tcpSocket ? `tcp :${p.tcpSocket.port}` : `exec \`${(p.exec.command as string[]).slice(-1)[0]}\``;
    return `${what} (${p.initialDelaySeconds ?? 0}/${p.periodSeconds ?? 10}/${p.timeoutSeconds ?? 1}s${p.failureThreshold ? `, ×${p.failureThreshold}` : ""})`;
}

function workloads(m: Model): string {
    const rows: Row[] = [];
    for (const type of [T.Deployment, T.StatefulSet, T.CronJob]) {
        for (const r of byName(m.ofType(type))) {
            const o = unwrap(r.inputs);
            const pod = podSpecOf(type, o.spec);
            const c = pod.containers[0];
            const hpa = m.ofType(T.HPA).map((h) => unwrap(h.inputs).spec).find((h) => h.scaleTargetRef.name === o.metadata.name);
            const replicas = type === T.CronJob ? `cron ${code(o.spec.schedule)}` : hpa ? `HPA ${hpa.minReplicas}–${hpa.maxReplicas}` : String(o.spec.replicas);
            const strategy = type === T.Deployment ? o.spec.strategy.type : type === T.StatefulSet ? `${o.spec.updateStrategy.type}, ${o.spec.podManagementPolicy}` : o.spec.concurrencyPolicy;
            const volumes = [...(c.volumeMounts ?? []).map((v: any) => v.mountPath)].join(", ");
            // Init containers first, as they run (a backup's dump, MongoDB's password step).
            const images = [...(pod.initContainers ?? []).map((i: any) => `${code(i.image)} (init: ${i.name})`), code(c.image)].join("<br>");
            rows.push([
                code(o.metadata.name), type.split(":").pop()!, replicas, images,
                (c.ports ?? []).map((p: any) => `${p.containerPort} ${p.name}`).join(", ") || "–",
                resources(c),
                [`L: ${probe(c.livenessProbe)}`, `R: ${probe(c.readinessProbe)}`, ...(c.startupProbe ? [`S: ${probe(c.startupProbe)}`] : [])].join("<br>"),
                volumes || "–", strategy,
            ]);
        }
    }
    return table(["Workload", "Kind", "Replicas", "Image", "Ports", "CPU/memory requests → limits", "Probes (delay/period/timeout)", "Mounts", "Update strategy"], rows);
}

function services(m: Model): string {
    const rows = byName(m.ofType(T.Service)).map((r) => {
        const o = unwrap(r.inputs);
        const ports = (o.spec.ports as any[]).map((p) => `${p.port}${p.nodePort ? ` → node ${p.nodePort}` : ""} (${p.name})`).join(", ");
        const kind = o.spec.clusterIP === "None" ? "headless" : o.spec.type;
        const use = o.spec.type === "NodePort" ? "outside access on node ports" : o.spec.clusterIP === "None" ? "StatefulSet identity, peer discovery" : "in-cluster clients";
        return [code(o.metadata.name), kind, ports, use];
    });
    const issuer = (annotations: Record<string, string> | undefined): string => {
        const ns = annotations?.["cert-manager.io/issuer"];
        const cluster = annotations?.["cert-manager.io/cluster-issuer"];
        return ns ? `Issuer ${code(ns)}` : cluster ? `ClusterIssuer ${code(cluster)}` : "(none)";
    };
    const ingresses = byName(m.ofType(T.Ingress)).map((r) => {
        const o = unwrap(r.inputs);
        const rule = o.spec.rules[0];
        const b = rule.http.paths[0].backend.service;
        const own = Object.keys(o.metadata.annotations).filter((a) => !a.startsWith("pulumi.com/") && !a.startsWith("cert-manager.io/"));
        const tls = o.spec.tls ? `TLS ${code(o.spec.tls[0].secretName)} from ${issuer(o.metadata.annotations)}` : "no TLS";
        return [code(o.metadata.name), "Ingress", `${rule.host} → ${b.name}:${b.port.number}`, [tls, ...own.map((a) => `${code(a)}: ${o.metadata.annotations[a]}`)].join("<br>")];
    });
    const gateways = byName(m.ofType(T.Gateway)).map((r) => {
        const o = unwrap(r.inputs);
        const listeners = (o.spec.listeners as any[]).map((l) => `${l.name}: ${l.protocol} ${l.port}${l.hostname ? ` ${l.hostname}` : ""}${l.tls ? ` (TLS ${code(l.tls.certificateRefs[0].name)})` : ""}`);
        return [code(o.metadata.name), `Gateway (class ${code(o.spec.gatewayClassName)})`, listeners.join("<br>"), `certificates from ${issuer(o.metadata.annotations)}`];
    });
    const routes = byName(m.ofType(T.HTTPRoute)).map((r) => {
        const o = unwrap(r.inputs);
        const rule = o.spec.rules[0];
        const parent = o.spec.parentRefs[0];
        const to = rule.backendRefs ? `${rule.backendRefs[0].name}:${rule.backendRefs[0].port}` : "redirect to https";
        const timeout = rule.timeouts ? `, request timeout ${rule.timeouts.request === "0s" ? "off (event streams)" : rule.timeouts.request}` : "";
        return [code(o.metadata.name), "HTTPRoute", `${o.spec.hostnames.join(", ")} → ${to}`, `on ${code(`${parent.name}/${parent.sectionName}`)}${timeout}`];
    });
    return table(["Object", "Type", "Ports", "Purpose"], [...rows, ...ingresses, ...gateways, ...routes]);
}

function volumes(m: Model): string {
    const rows = byName(m.ofType(T.StatefulSet)).flatMap((r) => {
        const o = unwrap(r.inputs);
        return (o.spec.volumeClaimTemplates as any[]).map((t) => {
            const claims = Array.from({ length: o.spec.replicas }, (_, i) => `${t.metadata.name}-${o.metadata.name}-${i}`);
            return [claims.map(code).join(", "), t.spec.resources.requests.storage, t.spec.storageClassName ? code(t.spec.storageClassName) : "cluster default", t.spec.accessModes.join(", "),
                o.spec.persistentVolumeClaimRetentionPolicy.whenDeleted === "Retain" ? "kept (retention Retain; namespace retained)" : "deleted with the StatefulSet"];
        });
    });
    return table(["PersistentVolumeClaims", "Size", "StorageClass", "Access", "On `pulumi destroy`"], rows);
}

function availability(m: Model): string {
    const hpas = byName(m.ofType(T.HPA)).map((r) => unwrap(r.inputs).spec).map((s) => [code(s.scaleTargetRef.name), "HPA", `${s.minReplicas}–${s.maxReplicas} replicas at ${s.metrics[0].resource.target.averageUtilization}% CPU`]);
    const pdbs = byName(m.ofType(T.PDB)).map((r) => unwrap(r.inputs)).map((p) => [code(p.metadata.name), "PodDisruptionBudget", `maxUnavailable ${p.spec.maxUnavailable}`]);
    const rows = [...hpas, ...pdbs];
    return rows.length > 0 ? table(["Target", "Object", "Setting"], rows) : "_None: every workload runs a single replica._";
}

function peer(p: Peer): string {
    if ("pod" in p) return code(p.pod);
    if ("bots" in p) return "bot pods";
    if ("acmeSolver" in p) return "cert-manager HTTP-01 solver";
    if ("dns" in p) return "cluster DNS (kube-system)";
    if ("kubeApi" in p) return "Kubernetes API";
    if ("ingressController" in p) return `ingress controller or Gateway proxies (namespace ${code(p.ingressController)})`;
    if ("monitoring" in p) return `Prometheus (namespace ${code(p.monitoring)})`;
    if ("operator" in p) return `operator pods (namespace ${code(p.operator.namespace)})`;
    return { nodePort: "node-port clients", internet: "internet (private ranges excluded)", external: "external service" }[p.anywhere];
}

function network(m: Model): string {
    const rows = networkGraph(m.plan).filter((e) => !("dns" in e.to)).map((e) => [peer(e.from), peer(e.to), e.ports.length ? e.ports.join(", ") : "any", e.reason]);
    return table(["From", "To", "Ports", "Why"], rows) + "\n\nEvery pod of ours may also resolve names (UDP/TCP 53 to kube-system); everything else is denied (`the0-default-deny`).";
}

function secretKeys(m: Model): string {
    const data = unwrap(m.object(T.Secret, "the0-secrets").inputs).stringData as Record<string, string>;
    const readers = new Map<string, Set<string>>();
    for (const type of [T.Deployment, T.StatefulSet, T.CronJob]) {
        for (const r of m.ofType(type)) {
            const o = unwrap(r.inputs);
            for (const e of podSpecOf(type, o.spec).containers[0].env ?? []) {
                const ref = e.valueFrom?.secretKeyRef;
                if (ref) (readers.get(ref.key) ?? readers.set(ref.key, new Set()).get(ref.key)!).add(`${o.metadata.name} ${code(e.name)}`);
            }
        }
    }
    return table(["Key of `the0-secrets`", "Read by"], Object.keys(data).sort().map((k) => [code(k), [...(readers.get(k) ?? [])].join(", ") || "–"]));
}

/** The backup CronJobs: what each one backs up, how, where to, and what it keeps. */
function backups(m: Model): string {
    const rows: Row[] = [];
    for (const store of BACKUP_STORES) {
        const name = `${m.config.instanceName}-${BACKUP_STORE_REGISTRY[store].component}`;
        if (!m.has(T.CronJob, name)) {
            rows.push([store, "–", "not backed up: external, its provider's to back up", "–", "–"]);
            continue;
        }
        const pod = podSpecOf(T.CronJob, m.spec(T.CronJob, name));
        const env = Object.fromEntries((pod.containers[0].env ?? []).map((e: any) => [e.name, e.value]));
        const images = [...(pod.initContainers ?? []), ...pod.containers].map((c: any) => `${c.name}: ${code(c.image)}`).join("<br>");
        const keep = [env.KEEP_COUNT !== "0" ? `newest ${env.KEEP_COUNT}` : "", env.KEEP_DAYS !== "0" ? `≤ ${env.KEEP_DAYS} days` : ""].filter((x) => x).join(", ");
        rows.push([store, code(name), BACKUP_STORE_REGISTRY[store].method, images, `${env.TARGET_URL}<br>${code(`${env.TARGET_PATH}/<UTC time>`)}; ${keep}`]);
    }
    return table(["Store", "CronJob", "How", "Containers (in order)", "Where to; retention"], rows);
}

/** The metrics sources a stack serves, and how the Prometheus reaches them. */
function metricsSourcesTable(m: Model): string {
    const rows = m.plan.measured.map((s) => {
        const sidecar = s.exporter ? `sidecar ${code(m.config.monitoring.images[s.exporter])}` : "the server itself";
        return [s.key, code(`${m.config.instanceName}-${s.component}`), sidecar, `${s.port.name} (${s.port.number}) ${code(s.path)}`, "PodMonitor"];
    });
    return table(["Source", "Pods", "Served by", "Port, path", "Scraped through"], rows);
}

/** The alerts of a stack: when each fires and how bad it is (the runbook is in the alert). */
function alertsTable(m: Model): string {
    return table(["Alert", "Severity", "For", "Fires when"], alertRules(m.plan).map((a) => [code(a.alert), a.severity, a.for, code(a.expr)]));
}

function configKeys(): string {
    return table(["Key", "Type", "Default", "Meaning"], CONFIG_SCHEMA.map((s) => [
        code(s.key), s.type, typeof s.default === "object" ? "`{}`" : s.default === "" ? "profile / unset" : code(String(s.default)), s.secret ? `**secret** – ${s.description}` : s.description,
    ]));
}

/** The secret registry: where each secret config key goes and when the program makes it. */
function secretConfigKeys(): string {
    const when = (w: GenerateWhen) => w === "always" ? "" : "inCluster" in w ? ` when ${w.inCluster} runs in the cluster` : ` when ${w.enabled} is enabled`;
    return table(["Secret config key", "Goes into", "When nobody sets it"], secretSpecs().map((s) => [
        code(s.key),
        "appSecret" in s.fills ? s.fills.appSecret.map(code).join(", ") : `${code(s.fills.backupTargetSecret)} of the backup target's Secret`,
        s.generated ? `generated (${s.generated.length} letters and digits)${when(s.generated.when)}, unless existingSecret is set; a stack with protectDataVolumes must set it (\`stack:init\` does)` : "not generated",
    ]));
}

/** Every value of the0's chart and what it becomes here (tools/migrate/chartValues.ts). */
function chartValues(): string {
    return table(["Chart value", "Here"], CHART_VALUE_ROWS.map(({ value, target: t }) => [
        code(value),
        "key" in t ? code(t.key) : "secret" in t ? `secret ${code(t.secret)}${t.when ? ` (when the store is ${t.when === "inCluster" ? "in the cluster" : "external"})` : ""}` : "derived" in t ? t.derived : `none: ${t.none}`,
    ]));
}

interface CiFigures {
    date: string;
    cores: number;
    suites: Record<string, { passed: number; seconds: number }>;
    total: { passed: number; seconds: number };
}

const SUITE_COMMANDS: Record<string, string> = { unit: "npm test", contract: "npm run test:contract", e2e: "npm run test:e2e", the0: "npm run test:the0" };

/** Tests and wall time per suite, from the record a green `.ci/run` writes (docs/ci-figures.json): never typed by hand. */
function ciFigures(): string {
    const f = JSON.parse(readFileSync(join(ROOT, "docs", "ci-figures.json"), "utf8")) as CiFigures;
    const minutes = (s: number) => `${(s / 60).toFixed(1)} min`;
    const rows: Row[] = Object.entries(f.suites).map(([name, x]) => [name, code(SUITE_COMMANDS[name] ?? name), String(x.passed), minutes(x.seconds)]);
    rows.push(["all of CI", code("bash .ci/run"), String(f.total.passed), minutes(f.total.seconds)]);
    return `${table(["Suite", "Command", "Tests", "Wall time"], rows)}\n\nMeasured by \`bash .ci/run\` on a fresh clone, ${f.date}, ${f.cores} cores, toolchain cache warm (\`npm ci\` and the lint steps are in the total).`;
}

export async function renderBlocks(): Promise<Record<string, string>> {
    const blocks: Record<string, string> = { "config-keys": configKeys(), "secret-config-keys": secretConfigKeys(), "ci-figures": ciFigures(), "chart-values": chartValues() };
    for (const stack of STACKS) {
        const m = await buildStack(stack);
        blocks[`workloads-${stack}`] = workloads(m);
        blocks[`services-${stack}`] = services(m);
        blocks[`volumes-${stack}`] = volumes(m);
        blocks[`availability-${stack}`] = availability(m);
        if (stack !== "production") blocks[`network-${stack}`] = network(m);
        if (stack === "dev") blocks["secret-keys"] = secretKeys(m);
        if (stack === "staging") {
            blocks["backups-staging"] = backups(m);
            blocks["metrics-staging"] = metricsSourcesTable(m);
            blocks["alerts-staging"] = alertsTable(m);
        }
    }
    return blocks;
}

/** Replaces every generated block of `text`; unknown block names are an error. */
export function fill(text: string, blocks: Record<string, string>): string {
    return text.replace(/(<!-- BEGIN GENERATED: ([\w-]+) -->)[\s\S]*?(<!-- END GENERATED: \2 -->)/g, (_all, begin: string, name: string, end: string) => {
        if (!(name in blocks)) throw new Error(`unknown generated block ${name}`);
        return `${begin}\n${blocks[name]}\n${end}`;
    });
}

export async function staleFiles(): Promise<string[]> {
    const blocks = await renderBlocks();
    return FILES.filter((f) => {
        const text = readFileSync(join(ROOT, f), "utf8");
        return fill(text, blocks) !== text;
    });
}

/** `npm run docs` writes the generated blocks; with --check it fails when one is stale. */
export async function main(argv: string[]): Promise<void> {
    if (argv.includes("--check")) {
        const stale = await staleFiles();
        if (stale.length > 0) {
            console.error(`stale generated docs: ${stale.join(", ")}; run \`npm run docs\``);
            process.exit(1);
        }
        return;
    }
    const blocks = await renderBlocks();
    for (const f of FILES) {
        const path = join(ROOT, f);
        writeFileSync(path, fill(readFileSync(path, "utf8"), blocks));
    }
}
