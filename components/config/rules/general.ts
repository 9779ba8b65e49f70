// Rules for the stack as a whole: names, domain, version, pull policies, the root admin, the gc schedule.
import { cronProblem } from "../cron";
import { CERT_MANAGER_NAMESPACE } from "../pins";
import { Problems } from "../problems";
import { PULL_POLICIES } from "../shapes";
import { PlatformConfig } from "../types";
import { checkImage, isDnsLabel, isDnsSubdomain, isEmail, isHostname, isImageTag } from "../validate";
import { oneOf, STORAGE_CLASS_RULE, ValidationContext } from "./common";

export function checkGeneral(c: PlatformConfig, problems: Problems, ctx: ValidationContext): void {
    if (ctx.storageClass !== "" && !isDnsSubdomain(ctx.storageClass)) problems.add("storageClass", ctx.storageClass, STORAGE_CLASS_RULE);
    if (c.addonsStack !== "" && !/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+){0,2}$/.test(c.addonsStack)) {
        problems.add("addonsStack", c.addonsStack, "must name a stack: <stack>, <project>/<stack> or <organization>/<project>/<stack> (the cluster-addons stack of this cluster)");
    }
    checkNamespace(c, problems);
    // <instanceName>-security-analyzer-headless style names must stay within 63 characters.
    if (!isDnsLabel(c.instanceName) || c.instanceName.length > 30) problems.add("instanceName", c.instanceName, "must be a DNS-1123 label of at most 30 characters");
    checkDomain(c, problems);
    if (!isImageTag(c.version)) problems.add("version", c.version, "must be an image tag such as 1.14.0");
    else if (c.version === "latest" && c.profile !== "minikube") problems.add("version", c.version, "must not be latest outside the minikube profile: pin a release such as 1.14.0");
    // the0's images are <imageRegistry>/<name>:<version>: a registry no reference can start with is reported here, once.
    if (!checkImage(`${ctx.registry}/api:1.0.0`).valid) problems.add("imageRegistry", ctx.registry, "must be a registry path such as ghcr.io/alexanderwanyoike/the0 (lowercase host[:port]/path, no tag)");
    checkPullPolicies(c, problems);
    checkRootAdmin(c, problems);
    const cron = cronProblem(c.gcSchedule);
    if (cron) problems.add("gcSchedule", c.gcSchedule, `must be a cron schedule the API server accepts, such as */5 * * * * or @hourly: ${cron}`);
}

function checkNamespace(c: PlatformConfig, problems: Problems): void {
    const ns = c.kubernetes.namespace;
    if (!isDnsLabel(ns)) problems.add("namespace", ns, "must be a DNS-1123 label (lowercase letters, digits, '-', at most 63)");
    else if (isClusterNamespace(ns, c)) {
        problems.add("namespace", ns, "must be a namespace of its own: default, kube-* and the add-ons' namespaces belong to the cluster (the program labels its namespace PSA restricted, and protectDataVolumes would adopt it)");
    }
}

/** Namespaces the cluster or its add-ons own; ours is relabelled, adopted and possibly retained. */
function isClusterNamespace(ns: string, c: PlatformConfig): boolean {
    if (ns === "default" || ns.startsWith("kube-")) return true;
    const addOns = c.ingress.enabled ? [c.ingress.controllerNamespace, CERT_MANAGER_NAMESPACE] : [];
    return addOns.includes(ns);
}

function checkDomain(c: PlatformConfig, problems: Problems): void {
    if (c.domain === "") {
        if (c.profile === "cloud") problems.add("domain", c.domain, "is required for the cloud profile (e.g. the0.example.com)");
    } else if (!isHostname(c.domain)) {
        problems.add("domain", c.domain, "must be a DNS name such as the0.example.com");
    }
}

function checkPullPolicies(c: PlatformConfig, problems: Problems): void {
    oneOf(problems, "imagePullPolicy", c.imagePullPolicy, PULL_POLICIES);
    oneOf(problems, "botImagePullPolicy", c.botImagePullPolicy, PULL_POLICIES);
    if (c.profile === "minikube") return;
    if (c.imagePullPolicy === "Never") problems.add("imagePullPolicy", c.imagePullPolicy, "Never only works with images preloaded on the node; allowed outside minikube: Always, IfNotPresent");
    if (c.botImagePullPolicy === "Never" && c.imagePullPolicy !== "Never") problems.add("botImagePullPolicy", c.botImagePullPolicy, "Never only works with images preloaded on the node; allowed outside minikube: Always, IfNotPresent");
}

/** the0's api refuses to start without a valid THE0_ADMIN_EMAIL (api/src/common/root-admin.ts). */
function checkRootAdmin(c: PlatformConfig, problems: Problems): void {
    if (c.rootAdminEmail === "") problems.add("rootAdminEmail", c.rootAdminEmail, "is required for the cloud profile: the0's API refuses to start without THE0_ADMIN_EMAIL");
    else if (!isEmail(c.rootAdminEmail)) problems.add("rootAdminEmail", c.rootAdminEmail, "must be an email address");
}
