// The post-deploy check users run after every `up`: `npm run smoke -- --stack <stack>`. In the
// cluster, the program's smoke Job (components/smoke) checks the api, the admin login, the JetStream
// streams, the buckets and the bot-controller with the0's own clients; from here, when the stack
// serves its hosts over TLS, each host answers with a certificate valid for it. One line per
// check, exit 0 when all pass, 1 when any fails, 2 for a usage or config mistake.
import { execFileSync, spawnSync } from "child_process";
import { X509Certificate } from "crypto";
import { connect, PeerCertificate, TLSSocket } from "tls";
import { PlatformConfig } from "../../components/config/types";
import { fullName } from "../../components/k8s/meta";
import { SMOKE_CHECKS } from "../../components/smoke/check";
import { smokeJob, smokeJobName } from "../../components/smoke/smokeJob";
import { DeploymentPlan, resolvePlan } from "../../components/plan/plan";
import { kubectlArgs, loadStackConfig } from "../stack/stackConfig";
import { UsageError } from "./usage";
// Scripts catch it from here to exit 2.
export { UsageError };

export interface Options {
    stack: string;
    timeoutSeconds: number;
    external: boolean;
}

const USAGE = "usage: npm run smoke -- --stack <stack> [--timeout <seconds per check, 1-120>] [--no-external]";

export function parseArgs(argv: string[]): Options {
    const o: Partial<Options> = { timeoutSeconds: 10, external: true };
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        const value = (): string => {
            const v = argv[++i];
            if (v === undefined) throw new UsageError(`${a} needs a value`);
            return v;
        };
        if (a === "--stack") o.stack = value();
        else if (a === "--timeout") {
            const t = Number(value());
            if (!Number.isInteger(t) || t < 1 || t > 120) throw new UsageError("--timeout must be a whole number of seconds from 1 to 120");
            o.timeoutSeconds = t;
        } else if (a === "--no-external") o.external = false;
        else throw new UsageError(`unknown argument ${a}\n${USAGE}`);
    }
    if (!o.stack) throw new UsageError(USAGE);
    return o as Options;
}

export interface CheckLine {
    ok: boolean;
    name: string;
    detail: string;
}

export function formatLine(l: CheckLine): string {
    return `${l.ok ? "ok  " : "FAIL"} ${l.name.padEnd(20)} ${l.detail}`;
}

/**
 * The Job's lines, one per in-cluster check; a check that printed nothing is a failure of its own
 * (a Job that never ran, or a pod that never started, prints nothing).
 */
export function jobResults(log: string, why: string): CheckLine[] {
    const lines = log.split("\n").map((l) => l.replace(/^\[[^\]]*\]\s*/, ""));
    return SMOKE_CHECKS.map((name) => {
        const line = lines.find((l) => /^(ok  |FAIL) /.test(l) && l.slice(5).startsWith(`${name} `));
        if (!line) return { ok: false, name, detail: `no result from the smoke Job (${why})` };
        return { ok: line.startsWith("ok"), name, detail: line.slice(5 + 20).trim() };
    });
}

function kubectl(cfg: PlatformConfig, args: string[], input?: string): string {
    return execFileSync("kubectl", kubectlArgs(cfg, args), { encoding: "utf8", input, stdio: ["pipe", "pipe", "pipe"] });
}

/** Runs the smoke Job and returns its lines. The previous run's Job is replaced; this one stays an hour for a look. */
export async function runJob(plan: DeploymentPlan, timeoutSeconds: number): Promise<CheckLine[]> {
    const cfg = plan.config;
    const name = smokeJobName(cfg);
    kubectl(cfg, ["delete", "job", name, "--ignore-not-found", "--wait=true"]);
    const job = smokeJob(plan, timeoutSeconds);
    kubectl(cfg, ["create", "-f", "-"], JSON.stringify(job));
    const deadline = Date.now() + (20 * timeoutSeconds + 120) * 1000;
    let state = "did not finish in time";
    for (;;) {
        const status = JSON.parse(kubectl(cfg, ["get", "job", name, "-o", "json"])).status ?? {};
        if (status.succeeded) { state = "finished"; break; }
        if (status.failed) { state = "failed"; break; }
        if (Date.now() > deadline) break;
        await new Promise((r) => setTimeout(r, 1000));
    }
    const logs = spawnSync("kubectl", kubectlArgs(cfg, ["logs", `job/${name}`]), { encoding: "utf8" });
    const why = logs.status === 0 ? `Job ${name} ${state} without printing it` : `Job ${name} ${state}; kubectl logs: ${(logs.stderr || "").trim().split("\n")[0]}`;
    return jobResults(logs.stdout ?? "", why);
}

/** The hosts the stack serves over TLS (Ingress or Gateway with an issuer, or an existing Gateway's listener). */
export function tlsHosts(cfg: PlatformConfig): string[] {
    if (!cfg.ingress.enabled) return [];
    const existingGateway = cfg.ingress.mode === "gateway" && !cfg.ingress.gateway.create;
    if (!existingGateway && cfg.ingress.tlsIssuer === "none") return [];
    const enabled = { frontend: cfg.apps.frontend.enabled, api: cfg.apps.api.enabled, docs: cfg.apps.docs.enabled };
    return (Object.keys(enabled) as Array<keyof typeof enabled>).filter((s) => enabled[s] && cfg.ingress.hosts[s] !== "").map((s) => cfg.ingress.hosts[s]);
}

/** The CA that signs the stack's hosts when the stack is its own issuer (selfSigned); otherwise the system's roots. */
function stackCa(cfg: PlatformConfig): string | undefined {
    if (cfg.ingress.tlsIssuer !== "selfSigned") return undefined;
    const data = kubectl(cfg, ["get", "secret", fullName(cfg, "root-ca"), "-o", "jsonpath={.data.ca\\.crt}"]);
    return Buffer.from(data, "base64").toString();
}

/** One host: a TLS handshake on 443 with its name; the certificate must be valid for it and chain to the expected root. */
export function checkHost(host: string, ca: string | undefined, chainChecked: boolean, timeoutSeconds: number, port = 443, address?: string): Promise<CheckLine> {
    const name = `tls ${host}`;
    return new Promise((resolve) => {
        const socket: TLSSocket = connect({ host: address ?? host, port, servername: host, ca, rejectUnauthorized: false, timeout: timeoutSeconds * 1000 }, () => {
            const cert: PeerCertificate = socket.getPeerCertificate();
            const authorized = socket.authorized;
            const authError = socket.authorizationError;
            socket.end();
            const x509 = cert.raw ? new X509Certificate(cert.raw) : undefined;
            if (!x509) return resolve({ ok: false, name, detail: "no certificate" });
            if (!x509.checkHost(host)) return resolve({ ok: false, name, detail: `certificate is for ${x509.subjectAltName ?? x509.subject}, not ${host}` });
            const until = new Date(x509.validTo);
            if (until.getTime() < Date.now()) return resolve({ ok: false, name, detail: `certificate expired ${until.toISOString()}` });
            if (chainChecked && !authorized) return resolve({ ok: false, name, detail: `certificate not trusted: ${authError}` });
            const issuer = x509.issuer.split("\n").find((l) => l.startsWith("CN=")) ?? x509.issuer;
            resolve({ ok: true, name, detail: `valid for ${host} until ${until.toISOString().slice(0, 10)}, issued by ${issuer}${chainChecked ? "" : " (chain not checked: Let's Encrypt staging is not a trusted root)"}` });
        });
        socket.on("timeout", () => { socket.destroy(); resolve({ ok: false, name, detail: `no TLS answer on ${port} within ${timeoutSeconds} s` }); });
        socket.on("error", (e: NodeJS.ErrnoException) => {
            resolve({ ok: false, name, detail: e.code === "ENOTFOUND" ? `${host} does not resolve (DNS, or /etc/hosts on a laptop)` : `${e.code ?? ""} ${e.message}`.trim() });
        });
    });
}

/** `npm run smoke -- <argv>`: exits 0 when every check passed, 1 when one failed. */
export async function main(argv: string[]): Promise<void> {
    const o = parseArgs(argv);
    const plan = resolvePlan(loadStackConfig(o.stack, (message) => new UsageError(message)));
    const cfg = plan.config;
    console.log(`smoke: stack ${o.stack}, namespace ${cfg.kubernetes.namespace}${cfg.kubernetes.context ? `, context ${cfg.kubernetes.context}` : ""}`);
    const lines = await runJob(plan, o.timeoutSeconds);
    for (const l of lines) console.log(formatLine(l));
    if (o.external) {
        const hosts = tlsHosts(cfg);
        const ca = hosts.length > 0 ? stackCa(cfg) : undefined;
        for (const host of hosts) {
            const l = await checkHost(host, ca, cfg.ingress.tlsIssuer !== "letsencrypt-staging", o.timeoutSeconds);
            lines.push(l);
            console.log(formatLine(l));
        }
    }
    const failed = lines.filter((l) => !l.ok).length;
    console.log(failed === 0 ? `smoke: all ${lines.length} checks passed` : `smoke: ${failed} of ${lines.length} checks failed (docs/kubernetes-deployment.md, "After every up: the smoke check")`);
    process.exit(failed === 0 ? 0 : 1);
}
