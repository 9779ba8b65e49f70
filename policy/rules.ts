// The platform's rules as CrossGuard policies. Each rule is a plain function over a resource's
// type and props, so the unit suite can run it on the program's own resources and on broken ones.
import type { PolicyConfigSchema, ReportViolation, ResourceValidationArgs, StackValidationArgs } from "@pulumi/policy";

export interface PolicyConfig {
    /** `minikube` relaxes the cloud-only rules (pinned images, TLS). */
    profile: "minikube" | "cloud";
    /** Production: data volumes must survive a destroy. */
    protectDataVolumes: boolean;
}

export const CONFIG_SCHEMA: PolicyConfigSchema = {
    properties: {
        profile: { type: "string", enum: ["minikube", "cloud"], default: "cloud" },
        protectDataVolumes: { type: "boolean", default: false },
    },
};

export interface Resource {
    type: string;
    name: string;
    props: Record<string, any>;
    urn?: string;
}

type Check = (r: Resource, cfg: PolicyConfig, report: ReportViolation) => void;
type StackCheck = (resources: Resource[], cfg: PolicyConfig, report: ReportViolation) => void;

export interface Rule {
    name: string;
    description: string;
    enforcementLevel: "mandatory" | "advisory";
    check?: Check;
    checkStack?: StackCheck;
}

const WORKLOADS: Record<string, (props: Record<string, any>) => any> = {
    "kubernetes:apps/v1:Deployment": (p) => p.spec?.template?.spec,
    "kubernetes:apps/v1:StatefulSet": (p) => p.spec?.template?.spec,
    "kubernetes:apps/v1:DaemonSet": (p) => p.spec?.template?.spec,
    "kubernetes:apps/v1:ReplicaSet": (p) => p.spec?.template?.spec,
    "kubernetes:batch/v1:Job": (p) => p.spec?.template?.spec,
    "kubernetes:batch/v1:CronJob": (p) => p.spec?.jobTemplate?.spec?.template?.spec,
    "kubernetes:core/v1:Pod": (p) => p.spec,
};

/** The pod spec of a workload, or undefined for other kinds. */
export function podSpecOf(r: Resource): any | undefined {
    const get = WORKLOADS[r.type];
    return get ? get(r.props) : undefined;
}

function containersOf(pod: any): any[] {
    return [...(pod?.initContainers ?? []), ...(pod?.containers ?? [])];
}

const SECRET_NAME = /(PASSWORD|PASSWD|SECRET|TOKEN|PRIVATE_KEY|ACCESS_KEY|SECRET_KEY|API_KEY|CREDENTIALS?)$/i;
/** user:password@ in a URL. */
const URL_CREDENTIALS = /[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i;

const GATEWAY = "kubernetes:gateway.networking.k8s.io/v1:Gateway";
const HTTP_ROUTE = "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute";

/** Whether a route attaches to a Gateway's listener (by section name, or to all its listeners without one). */
function attachesTo(route: Resource, gw: Resource, listener: string): boolean {
    return (route.props.spec?.parentRefs ?? []).some((ref: any) =>
        ref.name === gw.props.metadata?.name &&
        (ref.namespace ?? route.props.metadata?.namespace) === gw.props.metadata?.namespace &&
        (ref.sectionName === undefined || ref.sectionName === listener));
}

/** A route whose every rule redirects to https and sends nothing to a backend. */
function redirectsOnly(route: Resource): boolean {
    const rules: any[] = route.props.spec?.rules ?? [];
    return rules.length > 0 && rules.every((rule) =>
        (rule.backendRefs ?? []).length === 0 &&
        (rule.filters ?? []).some((f: any) => f.type === "RequestRedirect" && f.requestRedirect?.scheme === "https"));
}

function labelsMatch(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
    if (!selector || Object.keys(selector).length === 0) return false;
    return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

export const RULES: Rule[] = [
    {
        name: "containers-have-requests-and-limits",
        description: "Every container sets CPU and memory requests and limits.",
        enforcementLevel: "mandatory",
        check: (r, _cfg, report) => {
            for (const c of containersOf(podSpecOf(r))) {
                for (const kind of ["requests", "limits"]) {
                    for (const res of ["cpu", "memory"]) {
                        if (!c.resources?.[kind]?.[res]) report(`${r.name}: container ${c.name} has no ${res} ${kind}`);
                    }
                }
            }
        },
    },
    {
        name: "containers-are-hardened",
        description: "Non-root, read-only root filesystem, no privilege escalation, all capabilities dropped, seccomp RuntimeDefault.",
        enforcementLevel: "mandatory",
        check: (r, _cfg, report) => {
            const pod = podSpecOf(r);
            if (!pod) return;
            const podSc = pod.securityContext ?? {};
            for (const c of containersOf(pod)) {
                const sc = c.securityContext ?? {};
                const where = `${r.name}: container ${c.name}`;
                if (!(sc.runAsNonRoot ?? podSc.runAsNonRoot)) report(`${where} may run as root (set runAsNonRoot)`);
                if ((sc.runAsUser ?? podSc.runAsUser) === 0) report(`${where} runs as uid 0`);
                if (sc.readOnlyRootFilesystem !== true) report(`${where} has a writable root filesystem`);
                if (sc.allowPrivilegeEscalation !== false) report(`${where} allows privilege escalation`);
                if (sc.privileged === true) report(`${where} is privileged`);
                if (!(sc.capabilities?.drop ?? []).includes("ALL")) report(`${where} does not drop ALL capabilities`);
                const seccomp = sc.seccompProfile?.type ?? podSc.seccompProfile?.type;
                if (seccomp !== "RuntimeDefault" && seccomp !== "Localhost") report(`${where} has no seccomp profile (RuntimeDefault)`);
            }
        },
    },
    {
        name: "images-are-pinned",
        description: "Cloud stacks pin every image to a tag other than latest, or a digest.",
        enforcementLevel: "mandatory",
        check: (r, cfg, report) => {
            if (cfg.profile !== "cloud") return;
            for (const c of containersOf(podSpecOf(r))) {
                const image: string = c.image ?? "";
                const digest = image.includes("@sha256:");
                const lastPart = image.split("/").pop() ?? "";
                const tag = lastPart.includes(":") ? lastPart.split(":").pop() : undefined;
                if (!digest && (tag === undefined || tag === "latest")) report(`${r.name}: container ${c.name} uses ${image || "no image"}; pin a version tag or a digest`);
            }
        },
    },
    {
        name: "no-load-balancer-services",
        description: "No Service of type LoadBalancer except an ingress controller's: traffic comes in through an Ingress or a Gateway.",
        enforcementLevel: "mandatory",
        check: (r, _cfg, report) => {
            if (r.type !== "kubernetes:core/v1:Service" || r.props.spec?.type !== "LoadBalancer") return;
            const labels = r.props.metadata?.labels ?? {};
            if (labels["app.kubernetes.io/name"] === "ingress-nginx" && labels["app.kubernetes.io/component"] === "controller") return;
            report(`${r.name}: Service of type LoadBalancer; expose it through an Ingress or a Gateway instead`);
        },
    },
    {
        name: "replicated-workloads-have-pdbs",
        description: "Every workload with more than one replica (or an autoscaler floor above one) has a PodDisruptionBudget.",
        enforcementLevel: "mandatory",
        checkStack: (resources, _cfg, report) => {
            const pdbs = resources.filter((x) => x.type === "kubernetes:policy/v1:PodDisruptionBudget");
            const hpas = resources.filter((x) => x.type === "kubernetes:autoscaling/v2:HorizontalPodAutoscaler");
            for (const r of resources) {
                if (r.type !== "kubernetes:apps/v1:Deployment" && r.type !== "kubernetes:apps/v1:StatefulSet") continue;
                const name = r.props.metadata?.name;
                const hpa = hpas.find((h) => h.props.spec?.scaleTargetRef?.name === name && h.props.spec?.scaleTargetRef?.kind === r.type.split(":").pop());
                const replicas = hpa ? hpa.props.spec.minReplicas ?? 1 : r.props.spec?.replicas ?? 1;
                if (replicas <= 1) continue;
                const labels = r.props.spec?.template?.metadata?.labels;
                const covered = pdbs.some((p) => labelsMatch(p.props.spec?.selector?.matchLabels, labels));
                if (!covered) report(`${r.name}: ${replicas} replicas and no PodDisruptionBudget selects its pods`, r.urn);
            }
        },
    },
    {
        name: "ingresses-use-tls",
        description: "In cloud stacks every Ingress host is covered by a TLS entry.",
        enforcementLevel: "mandatory",
        check: (r, cfg, report) => {
            if (cfg.profile !== "cloud" || r.type !== "kubernetes:networking.k8s.io/v1:Ingress") return;
            const covered = new Set((r.props.spec?.tls ?? []).flatMap((t: any) => t.hosts ?? []));
            for (const rule of r.props.spec?.rules ?? []) {
                if (!covered.has(rule.host)) report(`${r.name}: host ${rule.host ?? "(any)"} is served without TLS`);
            }
        },
    },
    {
        name: "gateways-serve-only-tls",
        description: "In cloud stacks every Gateway listener terminates TLS with a certificate, except a plain-HTTP listener whose routes only redirect to https; a route on someone else's Gateway names its listener.",
        enforcementLevel: "mandatory",
        checkStack: (resources, cfg, report) => {
            if (cfg.profile !== "cloud") return;
            const gateways = resources.filter((x) => x.type === GATEWAY);
            const routes = resources.filter((x) => x.type === HTTP_ROUTE);
            for (const gw of gateways) {
                for (const l of gw.props.spec?.listeners ?? []) {
                    if (l.protocol === "HTTPS" || l.protocol === "TLS") {
                        if (l.tls?.mode !== "Terminate" || (l.tls?.certificateRefs ?? []).length === 0) report(`${gw.name}: listener ${l.name} (${l.protocol}) terminates no TLS with a certificate`, gw.urn);
                    } else if (l.protocol === "HTTP") {
                        for (const route of routes) {
                            if (attachesTo(route, gw, l.name) && !redirectsOnly(route)) report(`${route.name}: serves traffic on plain-HTTP listener ${l.name} of Gateway ${gw.props.metadata?.name}; only redirects to https belong there`, route.urn);
                        }
                    } else {
                        report(`${gw.name}: listener ${l.name} speaks ${l.protocol}; the0 is served over HTTPS only`, gw.urn);
                    }
                }
            }
            for (const route of routes) {
                for (const ref of route.props.spec?.parentRefs ?? []) {
                    const ours = gateways.some((gw) => gw.props.metadata?.name === ref.name && (ref.namespace ?? route.props.metadata?.namespace) === gw.props.metadata?.namespace);
                    if (!ours && !ref.sectionName) report(`${route.name}: attaches to Gateway ${ref.name} without naming a listener, so it may be served over plain HTTP`, route.urn);
                }
            }
        },
    },
    {
        name: "routes-name-their-hosts",
        description: "Every Ingress rule, HTTPRoute and Gateway listener names an exact host: no catch-all and no wildcard.",
        enforcementLevel: "mandatory",
        check: (r, _cfg, report) => {
            const bad = (host: unknown) => typeof host !== "string" || host === "" || host.includes("*");
            if (r.type === "kubernetes:networking.k8s.io/v1:Ingress") {
                for (const rule of r.props.spec?.rules ?? []) if (bad(rule.host)) report(`${r.name}: Ingress rule for host ${rule.host ?? "(any)"}; name an exact host`);
                if (r.props.spec?.defaultBackend) report(`${r.name}: a default backend serves any host`);
            } else if (r.type === HTTP_ROUTE) {
                const hosts: unknown[] = r.props.spec?.hostnames ?? [];
                if (hosts.length === 0) report(`${r.name}: HTTPRoute without hostnames matches every host of its listener`);
                for (const h of hosts) if (bad(h)) report(`${r.name}: HTTPRoute hostname ${h}; name an exact host`);
            } else if (r.type === GATEWAY) {
                for (const l of r.props.spec?.listeners ?? []) {
                    // The plain-HTTP listener may take every host: it only redirects (gateways-serve-only-tls).
                    if (l.protocol !== "HTTP" && bad(l.hostname)) report(`${r.name}: listener ${l.name} for host ${l.hostname ?? "(any)"}; name an exact host`);
                }
            }
        },
    },
    {
        name: "no-secrets-in-plain-config",
        description: "No secret material in plain env values or ConfigMaps: use secretKeyRef.",
        enforcementLevel: "mandatory",
        check: (r, _cfg, report) => {
            for (const c of containersOf(podSpecOf(r))) {
                for (const e of c.env ?? []) {
                    if (typeof e.value !== "string") continue;
                    if (SECRET_NAME.test(e.name) && e.value !== "") report(`${r.name}: env ${e.name} of container ${c.name} is a literal; take it from a Secret`);
                    else if (URL_CREDENTIALS.test(e.value)) report(`${r.name}: env ${e.name} of container ${c.name} carries credentials in a URL`);
                }
                for (const a of [...(c.args ?? []), ...(c.command ?? [])]) {
                    if (typeof a === "string" && URL_CREDENTIALS.test(a)) report(`${r.name}: an argument of container ${c.name} carries credentials in a URL`);
                }
            }
            if (r.type === "kubernetes:core/v1:ConfigMap") {
                for (const [k, v] of Object.entries<string>(r.props.data ?? {})) {
                    if (SECRET_NAME.test(k) || URL_CREDENTIALS.test(String(v))) report(`${r.name}: ConfigMap key ${k} looks like secret material; use a Secret`);
                }
            }
        },
    },
    {
        name: "data-volumes-protected",
        description: "Production keeps data volumes when a StatefulSet is deleted (PVC retention Retain).",
        enforcementLevel: "mandatory",
        check: (r, cfg, report) => {
            if (!cfg.protectDataVolumes || r.type !== "kubernetes:apps/v1:StatefulSet") return;
            if ((r.props.spec?.volumeClaimTemplates ?? []).length === 0) return;
            const policy = r.props.spec?.persistentVolumeClaimRetentionPolicy?.whenDeleted ?? "Retain";
            if (policy !== "Retain") report(`${r.name}: persistentVolumeClaimRetentionPolicy.whenDeleted is ${policy}; production data must be retained`);
        },
    },
];

export const DEFAULT_CONFIG: PolicyConfig = { profile: "cloud", protectDataVolumes: false };

/** Adapters from CrossGuard's arguments to the rule functions. */
export function resourceValidation(rule: Rule) {
    return (args: ResourceValidationArgs, report: ReportViolation): void =>
        rule.check!({ type: args.type, name: args.name, props: args.props, urn: args.urn }, { ...DEFAULT_CONFIG, ...args.getConfig<Partial<PolicyConfig>>() }, report);
}

export function stackValidation(rule: Rule) {
    return (args: StackValidationArgs, report: ReportViolation): void =>
        rule.checkStack!(args.resources.map((r) => ({ type: r.type, name: r.name, props: r.props, urn: r.urn })), { ...DEFAULT_CONFIG, ...args.getConfig<Partial<PolicyConfig>>() }, report);
}
