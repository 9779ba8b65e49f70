// Never adopt an install by accident. The program owns what it declares (patchForce, and with
// protectDataVolumes the provider upserts existing objects), so an `up` pointed at a namespace where
// the0's Helm chart runs would take over its Services, rewrite its Secret and start a second database
// behind the same Service. Before anything is registered, the target namespace is read: objects Helm
// owns, and objects with a name this stack would create that this stack did not create, stop the
// run with a message that names them. Nothing is written either way.
import * as pulumi from "@pulumi/pulumi";
import { PlatformConfig } from "../config/types";
import { appSecretName, fieldManager, fullName, MANAGED_BY } from "../k8s/meta";
import { collectionPath, NAMESPACE_CHECK_KINDS } from "../k8s/namespaceCheck";
import { CATALOG } from "../model/catalog";
import { DATA_SERVICE_REGISTRY } from "../model/dataServices";
import { DeploymentPlan } from "../plan/plan";
import { LiveCluster, ObjectMetadata } from "./cluster";

export interface LiveObject extends ObjectMetadata {
    kind: string;
}

/** The names this stack gives its workloads, Services, ServiceAccounts and its Secret (the ones a chart install shares). */
export function claimedNames(plan: DeploymentPlan): Set<string> {
    const cfg = plan.config;
    const components = [
        ...CATALOG.filter((e) => cfg.apps[e.key].enabled).map((e) => e.component),
        ...plan.inClusterStores.map((k) => DATA_SERVICE_REGISTRY[k].component),
    ];
    const names = components.flatMap((c) => ["", "-headless", "-external"].map((suffix) => `${fullName(cfg, c)}${suffix}`));
    if (cfg.existingSecret === "") names.push(appSecretName(cfg));
    return new Set(names);
}

function helmRelease(o: LiveObject): string | undefined {
    if (o.kind === "Secret" && o.labels.owner === "helm") return o.labels.name ?? o.name;
    if (o.annotations["meta.helm.sh/release-name"]) return o.annotations["meta.helm.sh/release-name"];
    if (o.labels["app.kubernetes.io/managed-by"] === "Helm") return o.labels["app.kubernetes.io/instance"] ?? "(unnamed)";
    return undefined;
}

/** This stack's own object: applied with its field manager, or labelled by Pulumi (an older deploy's random manager). */
function isOurs(cfg: PlatformConfig, o: LiveObject): boolean {
    return o.managers.includes(fieldManager(cfg)) || o.labels["app.kubernetes.io/managed-by"] === MANAGED_BY;
}

/** "Deployment the0-api, the0-nats; Secret the0-secrets": names grouped by kind, in the order seen. */
function byKind(objects: readonly LiveObject[]): string {
    const kinds = new Map<string, string[]>();
    for (const o of objects) kinds.set(o.kind, [...(kinds.get(o.kind) ?? []), o.name]);
    return [...kinds].map(([kind, names]) => `${kind} ${names.join(", ")}`).join("; ");
}

/** One line per Helm release and per foreign object with a name this stack would create; empty when the namespace is free. */
export function foreignObjects(plan: DeploymentPlan, objects: readonly LiveObject[]): string[] {
    const releases = new Map<string, LiveObject[]>();
    const others: string[] = [];
    const claimed = claimedNames(plan);
    for (const o of objects) {
        const release = helmRelease(o);
        if (release !== undefined) {
            const list = releases.get(release) ?? [];
            if (!(o.kind === "Secret" && o.labels.owner === "helm")) list.push(o);
            releases.set(release, list);
        } else if (claimed.has(o.name) && !isOurs(plan.config, o)) {
            const managers = [...new Set(o.managers)].join(", ") || "no field manager";
            others.push(`${o.kind} ${o.name}: this stack would create it, and did not (managed by ${managers})`);
        }
    }
    // Per release, every object this stack would overwrite by name (the ones at stake), then a count of the rest.
    const releaseLine = (release: string, list: LiveObject[]) => {
        if (list.length === 0) return `Helm release "${release}": its release record`;
        const mine = list.filter((o) => claimed.has(o.name));
        const rest = list.filter((o) => !claimed.has(o.name));
        const parts = [
            ...(mine.length > 0 ? [`names this stack would overwrite: ${byKind(mine)}`] : []),
            ...(rest.length > 0 ? [`${mine.length > 0 ? "and " : ""}${rest.length} other object${rest.length === 1 ? "" : "s"} (${byKind(rest.slice(0, 3))}${rest.length > 3 ? ", ..." : ""})`] : []),
        ];
        return `Helm release "${release}": ${parts.join("; ")}`;
    };
    return [...[...releases].map(([release, list]) => releaseLine(release, list)), ...others];
}

/** Stops the run before anything is registered. */
export class ForeignObjectsError extends pulumi.RunError {
    constructor(stack: string, namespace: string, where: string, lines: string[]) {
        super([
            `Stack "${stack}" would take over objects it did not create in namespace "${namespace}" (${where}); nothing was changed:`,
            ...lines.map((l) => `  - ${l}`),
            `A Helm install of the0 moves to this program with its data as the deployment doc's "Coming from the Helm chart" describes; to deploy beside it, choose another namespace (pulumi config set namespace <name>).`,
        ].join("\n"));
        this.name = "ForeignObjectsError";
    }
}

/** Every checked object of the namespace, or undefined when the namespace does not exist (a first deploy). */
export async function readNamespace(cluster: LiveCluster, namespace: string): Promise<LiveObject[] | undefined> {
    if ((await cluster.get(`/api/v1/namespaces/${namespace}`)) === undefined) return undefined;
    const lists = await Promise.all(NAMESPACE_CHECK_KINDS.map(async (k) => ((await cluster.listMetadata(collectionPath(k, namespace))) ?? []).map((m) => ({ ...m, kind: k.kind }))));
    return lists.flat();
}
