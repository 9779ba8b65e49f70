// Rules for how users reach the0: NodePorts, Ingress and TLS.
import { NODE_PORT_KEYS, WEB_SERVICES } from "../../model/basics";
import { Problems } from "../problems";
import { PlatformConfig } from "../types";
import { isChartVersion, isDnsLabel, isEmail, isHostname } from "../validate";
import { ValidationContext } from "./common";

export function checkExposure(c: PlatformConfig, problems: Problems, ctx: ValidationContext): void {
    if (c.nodePorts.enabled) checkNodePorts(c, problems);
    if (c.ingress.enabled) checkIngress(c, problems, ctx);
    if (c.profile === "cloud" && !c.ingress.enabled && !c.nodePorts.enabled) {
        problems.add("ingress.enabled", false, "the cloud profile needs ingress or nodePorts, or the0 is unreachable");
    }
}

function checkNodePorts(c: PlatformConfig, problems: Problems): void {
    const ports = NODE_PORT_KEYS.map((k) => c.nodePorts[k]);
    for (const k of NODE_PORT_KEYS) {
        const v = c.nodePorts[k];
        if (!Number.isInteger(v) || v < 30000 || v > 32767) problems.add(`nodePorts.${k}`, v, "must be in the NodePort range 30000-32767");
        else if (ports.filter((x) => x === v).length > 1) problems.add(`nodePorts.${k}`, v, "must differ from every other node port");
    }
}

function checkIngress(c: PlatformConfig, problems: Problems, ctx: ValidationContext): void {
    const ing = c.ingress;
    if (!isDnsLabel(ing.className)) problems.add("ingress.className", ing.className, "must be an IngressClass name");
    if (!isDnsLabel(ing.controllerNamespace)) problems.add("ingress.controllerNamespace", ing.controllerNamespace, "must be a namespace name (DNS-1123 label)");
    if (ing.controller === "minikubeAddon" && c.profile !== "minikube") problems.add("ingress.controller", ing.controller, "minikubeAddon needs the minikube profile; use install or existing");
    if (!isChartVersion(ing.controllerChartVersion)) problems.add("ingress.controllerChartVersion", ing.controllerChartVersion, "must be a chart version such as 4.15.1");
    if (!isChartVersion(ing.certManagerChartVersion)) problems.add("ingress.certManagerChartVersion", ing.certManagerChartVersion, "must be a chart version such as v1.21.1");
    if (ing.tlsIssuer.startsWith("letsencrypt")) checkAcme(c, problems);
    checkHosts(c, problems, ctx);
}

function checkAcme(c: PlatformConfig, problems: Problems): void {
    const ing = c.ingress;
    if (ing.acmeEmail === "") problems.add("ingress.acmeEmail", "", `is required for tlsIssuer ${ing.tlsIssuer} (Let's Encrypt account email)`);
    else if (!isEmail(ing.acmeEmail)) problems.add("ingress.acmeEmail", ing.acmeEmail, "must be an email address");
    if (c.profile === "minikube") problems.add("ingress.tlsIssuer", ing.tlsIssuer, "Let's Encrypt HTTP-01 cannot reach a minikube cluster; use selfSigned");
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
