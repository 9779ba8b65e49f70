// Rules for how users reach the0: NodePorts, Ingress or Gateway API, and TLS.
import { NODE_PORT_KEYS, NODE_PORT_RANGE, WEB_SERVICES } from "../../model/basics";
import { Problems } from "../problems";
import { PlatformConfig } from "../types";
import { isDnsLabel, isDnsSubdomain, isEmail, isHostname } from "../validate";
import { ValidationContext } from "./common";

/** Where cluster-wide add-ons come from now; said in every problem that asks for one. */
const ADDONS_PROJECT = "install it once per cluster with the cluster-addons project (cluster-addons/, see docs/kubernetes-deployment.md)";

export function checkNodePorts(c: PlatformConfig, problems: Problems): void {
    if (!c.nodePorts.enabled) return;
    const ports = NODE_PORT_KEYS.map((k) => c.nodePorts[k]);
    for (const k of NODE_PORT_KEYS) {
        const v = c.nodePorts[k];
        if (!Number.isInteger(v) || v < NODE_PORT_RANGE.min || v > NODE_PORT_RANGE.max) problems.add(`nodePorts.${k}`, v, `must be in the NodePort range ${NODE_PORT_RANGE.min}-${NODE_PORT_RANGE.max}`);
        else if (ports.filter((x) => x === v).length > 1) problems.add(`nodePorts.${k}`, v, "must differ from every other node port");
    }
}

/** The ingress key, and that a cloud stack is reachable at all (ingress or node ports). */
export function checkIngress(c: PlatformConfig, problems: Problems, ctx: ValidationContext): void {
    if (c.ingress.enabled) checkIngressOn(c, problems, ctx);
    if (c.profile === "cloud" && !c.ingress.enabled && !c.nodePorts.enabled) {
        problems.add("ingress.enabled", false, "the cloud profile needs ingress or nodePorts, or the0 is unreachable");
    }
}

function checkIngressOn(c: PlatformConfig, problems: Problems, ctx: ValidationContext): void {
    const ing = c.ingress;
    if (!isDnsLabel(ing.controllerNamespace)) problems.add("ingress.controllerNamespace", ing.controllerNamespace, "must be the namespace the traffic comes from (the ingress controller's or the Gateway's data plane), a DNS-1123 label");
    if (ing.mode === "ingress") checkIngressMode(c, problems);
    else checkGatewayMode(c, problems);
    checkTls(c, problems);
    if (!Number.isInteger(ing.requestTimeoutSeconds) || ing.requestTimeoutSeconds < 30 || ing.requestTimeoutSeconds > 3600) {
        problems.add("ingress.requestTimeoutSeconds", ing.requestTimeoutSeconds, "must be 30-3600 seconds (a 200 MB bot upload needs minutes on a slow link)");
    }
    checkAnnotations(problems, "ingress.annotations", ing.annotations);
    for (const k of WEB_SERVICES) checkAnnotations(problems, `ingress.hostAnnotations.${k}`, ing.hostAnnotations[k]);
    checkHosts(c, problems, ctx);
}

function checkIngressMode(c: PlatformConfig, problems: Problems): void {
    const ing = c.ingress;
    if (!isDnsSubdomain(ing.className)) problems.add("ingress.className", ing.className, "must be an IngressClass name");
    if (ing.controller === "install") {
        problems.add("ingress.controller", ing.controller, `is no longer offered: ingress-nginx was retired in March 2026 and a controller is cluster-wide; use mode gateway with Envoy Gateway, or ${ADDONS_PROJECT} or bring a maintained controller, and set existing`);
    }
    if (ing.controller === "minikubeAddon" && c.profile !== "minikube") problems.add("ingress.controller", ing.controller, "minikubeAddon needs the minikube profile; use existing");
}

function checkGatewayMode(c: PlatformConfig, problems: Problems): void {
    const gw = c.ingress.gateway;
    if (gw.name !== "" && !isDnsSubdomain(gw.name)) problems.add("ingress.gateway.name", gw.name, "must be a Gateway name (DNS subdomain)");
    if (gw.create) {
        if (!isDnsSubdomain(gw.className)) problems.add("ingress.gateway.className", gw.className, `must name a GatewayClass (the cluster-addons project creates eg for Envoy Gateway)`);
    } else {
        if (gw.name === "") problems.add("ingress.gateway.name", "", "is required when gateway.create is false: the existing Gateway the routes attach to");
        if (gw.namespace !== "" && !isDnsLabel(gw.namespace)) problems.add("ingress.gateway.namespace", gw.namespace, "must be a namespace name (DNS-1123 label) or empty for this stack's");
        // Without a section the routes would also attach to a plain-HTTP listener of theirs.
        if (gw.sectionName === "") problems.add("ingress.gateway.sectionName", "", "is required when gateway.create is false: the existing Gateway's HTTPS listener, so the0 is never routed over plain HTTP");
        else if (!isDnsSubdomain(gw.sectionName)) problems.add("ingress.gateway.sectionName", gw.sectionName, "must be a listener name (DNS subdomain)");
    }
}

function checkTls(c: PlatformConfig, problems: Problems): void {
    const ing = c.ingress;
    const tls = ing.tlsIssuer !== "none";
    if (ing.certManager === "install") {
        problems.add("ingress.certManager", ing.certManager, `is no longer offered: cert-manager is cluster-wide (two stacks would fight over one release, and destroying one would remove it for the other); ${ADDONS_PROJECT}, or keep the cluster's, and set existing`);
    }
    if (ing.tlsIssuer === "clusterIssuer") {
        if (ing.clusterIssuer === "") problems.add("ingress.clusterIssuer", "", "is required for tlsIssuer clusterIssuer: the name of a ClusterIssuer the cluster has (the cluster-addons project's clusterIssuers output)");
        else if (!isDnsSubdomain(ing.clusterIssuer)) problems.add("ingress.clusterIssuer", ing.clusterIssuer, "must be a ClusterIssuer name (DNS subdomain)");
    } else if (ing.clusterIssuer !== "") {
        problems.add("ingress.clusterIssuer", ing.clusterIssuer, `is read only with tlsIssuer clusterIssuer (tlsIssuer is ${ing.tlsIssuer})`);
    }
    if (ing.tlsIssuer.startsWith("letsencrypt")) {
        if (ing.acmeEmail === "") problems.add("ingress.acmeEmail", "", `is required for tlsIssuer ${ing.tlsIssuer} (Let's Encrypt account email)`);
        else if (!isEmail(ing.acmeEmail)) problems.add("ingress.acmeEmail", ing.acmeEmail, "must be an email address");
        if (c.profile === "minikube") problems.add("ingress.tlsIssuer", ing.tlsIssuer, "Let's Encrypt HTTP-01 cannot reach a minikube cluster; use selfSigned");
    }
    if (tls && ing.mode === "gateway" && !ing.gateway.create) {
        problems.add("ingress.tlsIssuer", ing.tlsIssuer, "must be none with an existing Gateway: its listeners terminate TLS with their owner's certificates (the URLs stay https)");
    }
}

/** Annotation names as the API server checks them: an optional DNS-subdomain prefix and a name of at most 63. */
function checkAnnotations(problems: Problems, key: string, map: Record<string, string>): void {
    for (const name of Object.keys(map)) {
        const slash = name.lastIndexOf("/");
        const prefix = slash >= 0 ? name.slice(0, slash) : "";
        const local = name.slice(slash + 1);
        const validLocal = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/.test(local);
        if (!validLocal || (slash >= 0 && !isDnsSubdomain(prefix))) problems.add(`${key}.${name}`, map[name], "must be an annotation name: [prefix/]name, name at most 63 characters of letters, digits, '-', '_' and '.'");
    }
}

function checkHosts(c: PlatformConfig, problems: Problems, ctx: ValidationContext): void {
    const hosts = c.ingress.hosts;
    for (const k of WEB_SERVICES) {
        // A host derived from a bad domain is reported once, as the domain.
        const derivedFromBadDomain = hosts[k] === ctx.derivedHosts[k] && !isHostname(c.domain);
        if (hosts[k] !== "" && !derivedFromBadDomain && !isHostname(hosts[k])) problems.add(`ingress.hosts.${k}`, hosts[k], "must be a DNS name such as api.the0.example.com");
    }
    const list = [hosts.frontend, hosts.api, hosts.docs].filter((h) => h !== "");
    if (new Set(list).size !== list.length) problems.add("ingress.hosts", hosts, "frontend, api and docs need distinct hosts");
}
