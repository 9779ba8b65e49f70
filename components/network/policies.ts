// NetworkPolicies rendered from the network graph: one default deny for the namespace, then one
// policy per kind of pod with exactly the ingress and egress paths the graph holds.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { PlatformConfig } from "../config/types";
import { fullName, objectMeta, selectorLabels } from "../k8s/meta";
import { DeploymentPlan } from "../plan/plan";
import { Edge, networkGraph, Peer } from "./graph";

type NetworkPolicyPeer = k8s.types.input.networking.v1.NetworkPolicyPeer;
type NetworkPolicyPort = k8s.types.input.networking.v1.NetworkPolicyPort;
type LabelSelector = k8s.types.input.meta.v1.LabelSelector;

/** Labels the bot-controller puts on the pods it creates (bots, scheduled bots, queries). */
export const BOT_MANAGERS = ["the0-bot-controller", "the0-schedule-controller", "the0-query-handler"];
const PRIVATE_RANGES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"];

/** A pod-like peer of ours gets a policy of its own; a key to group edges by. */
function ownKey(peer: Peer): string | undefined {
    if ("pod" in peer) return peer.pod;
    if ("bots" in peer) return "bots";
    if ("acmeSolver" in peer) return "acme-solver";
    return undefined;
}

export function podSelectorFor(cfg: PlatformConfig, key: string): LabelSelector {
    if (key === "bots") return { matchExpressions: [{ key: "the0.app/managed-by", operator: "In", values: BOT_MANAGERS }] };
    if (key === "acme-solver") return { matchLabels: { "acme.cert-manager.io/http01-solver": "true" } };
    return { matchLabels: selectorLabels(cfg, key) };
}

function peerFor(cfg: PlatformConfig, peer: Peer): NetworkPolicyPeer {
    const own = ownKey(peer);
    if (own) return { podSelector: podSelectorFor(cfg, own) };
    if ("dns" in peer) return { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } } };
    if ("ingressController" in peer) return { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": peer.ingressController } } };
    if ("monitoring" in peer) return { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": peer.monitoring } } };
    if ("operator" in peer) return { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": peer.operator.namespace } }, podSelector: { matchLabels: { ...peer.operator.labels } } };
    // The API server, external services and NodePort clients have addresses we cannot know.
    if ("anywhere" in peer && peer.anywhere === "internet") return { ipBlock: { cidr: "0.0.0.0/0", except: PRIVATE_RANGES } };
    return { ipBlock: { cidr: "0.0.0.0/0" } };
}

function portsFor(edge: Edge): NetworkPolicyPort[] | undefined {
    if (edge.ports.length === 0) return undefined; // all ports
    const protocols = "dns" in edge.to ? ["UDP", "TCP"] : ["TCP"];
    return edge.ports.flatMap((port) => protocols.map((protocol) => ({ port, protocol })));
}

export class NetworkPolicies extends pulumi.ComponentResource {
    readonly policies: k8s.networking.v1.NetworkPolicy[] = [];

    constructor(name: string, args: { plan: DeploymentPlan }, opts?: pulumi.ComponentResourceOptions) {
        super("the0:network:NetworkPolicies", name, {}, opts);
        const cfg = args.plan.config;
        const child = { parent: this };

        this.policies.push(new k8s.networking.v1.NetworkPolicy(`${name}-default-deny`, {
            metadata: objectMeta(cfg, "network", fullName(cfg, "default-deny")),
            spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
        }, child));

        const edges = networkGraph(args.plan);
        const owners = [...new Set(edges.flatMap((e) => [ownKey(e.from), ownKey(e.to)]).filter((k): k is string => k !== undefined))];
        for (const owner of owners) {
            const ingress = edges.filter((e) => ownKey(e.to) === owner).map((e) => ({ from: [peerFor(cfg, e.from)], ports: portsFor(e) }));
            const egress = edges.filter((e) => ownKey(e.from) === owner).map((e) => ({ to: [peerFor(cfg, e.to)], ports: portsFor(e) }));
            this.policies.push(new k8s.networking.v1.NetworkPolicy(`${name}-${owner}`, {
                metadata: objectMeta(cfg, "network", fullName(cfg, owner)),
                spec: {
                    podSelector: podSelectorFor(cfg, owner),
                    policyTypes: ["Ingress", "Egress"],
                    ingress,
                    egress,
                },
            }, child));
        }
        this.registerOutputs({});
    }
}
