// `npm run migrate:from-helm`, step 1 of moving a Helm install of the0 to this program (the
// deployment doc's "Coming from the Helm chart"): reads the release (its user-supplied values and
// the Secret its workloads run with) and writes the stack's config for a new namespace, the
// release's credentials as the stack's secrets, so sessions and the admin keep working. Dry run by
// default (prints what it would set, never a secret's value); --yes writes it, into a stack that
// holds no resources yet. Deploying, copying the data and the cut-over are not scripted yet: it
// prints them as the by-hand steps. Usage: scripts/migrate-from-helm.sh.
import { execFileSync } from "child_process";
import { SecretConfigKey, secretValueProblems } from "../../components/config/secretRegistry";
import { ChartValues, chartFullName, RELEASE_SECRET_KEYS, translateChartValues } from "../migrate/chartValues";
import { PROJECT } from "../render/stackFiles";
import { fail, UsageError } from "./usage";
// Scripts catch it from here to exit 2.
export { UsageError };

export interface Options {
    release: string;
    namespace: string;
    stack: string;
    toNamespace: string;
    context: string;
    yes: boolean;
}

/** The release or the stack is not one this command may act on (exit 3); nothing has been written. */
export class RefusedError extends Error {}

const USAGE = "usage: npm run migrate:from-helm -- --release <release> --namespace <its namespace> --stack <stack> [--to-namespace <new namespace>] [--kube-context <context>] [--yes]";

export function parseArgs(argv: string[]): Options {
    const o: Partial<Options> = { yes: false, context: "" };
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        const value = (): string => argv[++i] ?? fail(`${a} needs a value`);
        if (a === "--release") o.release = value();
        else if (a === "--namespace") o.namespace = value();
        else if (a === "--stack") o.stack = value();
        else if (a === "--to-namespace") o.toNamespace = value();
        else if (a === "--kube-context") o.context = value();
        else if (a === "--yes") o.yes = true;
        else fail(`unknown argument ${a}`);
    }
    if (!o.release || !o.namespace || !o.stack) fail(USAGE);
    o.toNamespace ??= `${o.namespace}-next`;
    if (o.toNamespace === o.namespace) fail("--to-namespace must differ from --namespace: the stack deploys beside the release, which stays until the cut-over");
    return o as Options;
}

/** What the command reads of a release. */
export interface Release {
    /** `<chart name>-<chart version>`, as `helm list` shows it. */
    chart: string;
    /** User-supplied values (`helm get values`). */
    values: ChartValues;
    /** The Secret the workloads run with, decoded; undefined when it cannot be found. */
    secret?: { name: string; data: Record<string, string> };
    /** THE0_ADMIN_PASSWORD read from the Secret the api's extraEnv names. */
    adminPassword?: string;
}

export interface Plan {
    config: Record<string, unknown>;
    /** Secret config key -> value and where it came from (the value is never printed). */
    secrets: Partial<Record<SecretConfigKey, { value: string; from: string }>>;
    notCarried: string[];
}

/** The stack config for a release: its values translated, the namespace and names, and the credentials it runs with. */
export function planMigration(o: Options, release: Release): Plan {
    if (!/^the0-\d/.test(release.chart)) {
        throw new RefusedError(`release ${o.release} in ${o.namespace} is chart ${release.chart}, not the0's chart (the0-<version>): nothing to migrate`);
    }
    const t = translateChartValues(release.values);
    const plan: Plan = {
        config: { ...t.config, namespace: o.toNamespace, instanceName: chartFullName(o.release, release.values) },
        secrets: {},
        notCarried: [...t.notCarried],
    };
    for (const [key, value] of Object.entries(t.secrets) as Array<[SecretConfigKey, string]>) plan.secrets[key] = { value, from: "the release's values" };
    // What the workloads run with wins over the values: the chart's Secret holds the generated and defaulted ones too.
    for (const [secretKey, key] of Object.entries(RELEASE_SECRET_KEYS)) {
        const value = release.secret?.data[secretKey];
        if (value) plan.secrets[key] = { value, from: `Secret ${release.secret!.name}, key ${secretKey}` };
    }
    if (release.adminPassword) plan.secrets.rootAdminPassword = { value: release.adminPassword, from: "the Secret the api's THE0_ADMIN_PASSWORD reads" };
    for (const [key, s] of Object.entries(plan.secrets) as Array<[SecretConfigKey, { value: string; from: string }]>) {
        const problems = secretValueProblems(key, s.value);
        if (problems.length === 0) continue;
        delete plan.secrets[key];
        const consequence = key === "jwtSecret" ? "; a new one is generated, so everyone signs in again" : "; set one with pulumi config set --secret";
        plan.notCarried.push(`secret ${key} (${s.from}): refused here, ${problems.join("; ")}${consequence}`);
    }
    return plan;
}

/** `{a: {b: 1}}` at "x" -> {"x.a.b": 1}: leaves for `pulumi config set --path`, which types them. */
function configLeaves(key: string, value: unknown): Array<[string, unknown]> {
    // A field with dots or slashes (an annotation's name) is quoted, as --path reads it.
    const field = (k: string) => (/^[A-Za-z_][\w-]*$/.test(k) ? `.${k}` : `[${JSON.stringify(k)}]`);
    if (value && typeof value === "object" && !Array.isArray(value)) return Object.entries(value).flatMap(([k, v]) => configLeaves(`${key}${field(k)}`, v));
    return [[key, value]];
}

export function describePlan(o: Options, plan: Plan): string[] {
    const lines = [`stack ${o.stack}: the0 from release ${o.release} (namespace ${o.namespace}), deployed beside it into namespace ${o.toNamespace}`];
    for (const [key, value] of Object.entries(plan.config).flatMap(([k, v]) => configLeaves(k, v))) lines.push(`  config ${key} = ${JSON.stringify(value)}`);
    for (const [key, s] of Object.entries(plan.secrets)) lines.push(`  secret ${key}: from ${s!.from}`);
    for (const n of plan.notCarried) lines.push(`  not carried: ${n}`);
    return lines;
}

const NEXT_STEPS = (o: Options) => [
    "Next, by hand (the deployment doc, \"Coming from the Helm chart\", steps 2 to 6; not scripted yet):",
    `  pulumi up --stack ${o.stack}                                   # the0 runs twice, the new one empty`,
    `  kubectl -n ${o.namespace} scale deployment <release>-api <release>-bot-controller --replicas=0   # the0 is down from here`,
    "  copy PostgreSQL, MongoDB and the buckets into the new namespace, then npm run smoke",
    `  switch DNS to the new address (pulumi stack output dns --stack ${o.stack})`,
    `  kubectl -n ${o.namespace} annotate pvc --all helm.sh/resource-policy=keep && helm uninstall ${o.release} -n ${o.namespace}`,
];

function run(cmd: string, args: string[], input?: string): string {
    return execFileSync(cmd, args, { encoding: "utf8", input, stdio: ["pipe", "pipe", "pipe"], maxBuffer: 64 * 2 ** 20 });
}

/** The release as helm and kubectl show it. */
export function readRelease(o: Options): Release {
    const ctx = o.context ? ["--kube-context", o.context] : [];
    const kctx = o.context ? ["--context", o.context] : [];
    const listed = JSON.parse(run("helm", ["list", "-n", o.namespace, "--filter", `^${o.release}$`, "-o", "json", ...ctx])) as Array<{ name: string; chart: string }>;
    const entry = listed.find((r) => r.name === o.release);
    if (!entry) throw new RefusedError(`no Helm release ${o.release} in namespace ${o.namespace}`);
    const values = (JSON.parse(run("helm", ["get", "values", o.release, "-n", o.namespace, "-o", "json", ...ctx])) ?? {}) as ChartValues;
    const secretName = (values.global as { existingSecret?: string } | undefined)?.existingSecret || `${chartFullName(o.release, values)}-secrets`;
    const readSecret = (name: string): Record<string, string> | undefined => {
        try {
            const data = (JSON.parse(run("kubectl", [...kctx, "-n", o.namespace, "get", "secret", name, "-o", "json"])) as { data?: Record<string, string> }).data ?? {};
            return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v, "base64").toString("utf8")]));
        } catch {
            return undefined;
        }
    };
    const data = readSecret(secretName);
    const ref = translateChartValues(values).adminPasswordRef;
    return {
        chart: entry.chart,
        values,
        secret: data ? { name: secretName, data } : undefined,
        adminPassword: ref ? readSecret(ref.name)?.[ref.key] : undefined,
    };
}

/** Writes the plan into the stack, which must exist and hold nothing yet (as restore refuses a store with data). */
export function applyPlan(o: Options, plan: Plan): void {
    const exported = JSON.parse(run("pulumi", ["stack", "export", "--stack", o.stack])) as { deployment?: { resources?: Array<{ type: string }> } };
    const held = (exported.deployment?.resources ?? []).filter((r) => r.type !== "pulumi:pulumi:Stack" && !r.type.startsWith("pulumi:providers:"));
    if (held.length > 0) throw new RefusedError(`stack ${o.stack} already holds ${held.length} resources: a migration writes the config of a stack that has not been deployed (create one with npm run stack:init)`);
    for (const [key, value] of Object.entries(plan.config).flatMap(([k, v]) => configLeaves(k, v))) {
        run("pulumi", ["config", "set", "--stack", o.stack, "--path", `${PROJECT}:${key}`, String(value)]);
    }
    // Values on stdin, never in a process's arguments.
    for (const [key, s] of Object.entries(plan.secrets)) run("pulumi", ["config", "set", "--stack", o.stack, "--secret", `${PROJECT}:${key}`], s!.value);
}

export async function main(argv: string[]): Promise<void> {
    const o = parseArgs(argv);
    const plan = planMigration(o, readRelease(o));
    for (const line of describePlan(o, plan)) console.log(line);
    if (!o.yes) {
        console.log("dry run: nothing written; run again with --yes to write this into the stack");
        return;
    }
    applyPlan(o, plan);
    console.log(`wrote the config of stack ${o.stack}`);
    for (const line of NEXT_STEPS(o)) console.log(line);
}
