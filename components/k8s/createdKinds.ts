// What a stack creates, seen as each object is registered: the kinds per namespace, and the names
// of the cluster-scoped objects. The preview identity's read rules come from this record, so they
// follow whatever the tiers create without a list kept beside them.
import * as pulumi from "@pulumi/pulumi";

/** A resource type as RBAC names it. */
export interface Kind {
    apiGroup: string;
    resource: string;
}

/** `kubernetes:apps/v1:StatefulSet` -> apps/statefulsets; undefined for what is not a Kubernetes object. */
export function kindOfType(type: string): Kind | undefined {
    const m = /^kubernetes:(?:(.+)\/)?v\d\w*:(\w+)$/.exec(type);
    if (!m) return undefined;
    // A Helm release (helm.sh/v3:Release) lives in the cluster as Helm's storage: Secrets in its namespace.
    if (m[1] === "helm.sh") return { apiGroup: "", resource: "secrets" };
    const kind = m[2].toLowerCase();
    const resource = kind.endsWith("s") ? `${kind}es` : /[^aeiou]y$/.test(kind) ? `${kind.slice(0, -1)}ies` : `${kind}s`;
    return { apiGroup: m[1] === undefined || m[1] === "core" ? "" : m[1], resource };
}

const keyOf = (k: Kind) => `${k.apiGroup}/${k.resource}`;

export class CreatedKinds {
    private readonly byNamespace = new Map<string, Map<string, Kind>>();
    private readonly clusterScoped = new Map<string, { kind: Kind; names: Set<string> }>();

    /** Registers nothing and changes nothing: it only looks at each object as it is declared. */
    readonly transformation: pulumi.ResourceTransformation = ({ type, props }) => {
        this.record(type, props);
        return undefined;
    };

    record(type: string, props: pulumi.Inputs): void {
        const kind = kindOfType(type);
        if (!kind) return;
        // Namespaced objects carry their namespace (a Helm release its own `namespace` argument); ours are plain strings.
        const namespace: unknown = type.startsWith("kubernetes:helm.sh/") ? props.namespace : props.metadata?.namespace;
        if (typeof namespace === "string" && namespace !== "") {
            const kinds = this.byNamespace.get(namespace) ?? this.byNamespace.set(namespace, new Map()).get(namespace)!;
            kinds.set(keyOf(kind), kind);
            return;
        }
        const name: unknown = props.metadata?.name;
        if (typeof name !== "string") throw new Error(`a cluster-scoped ${type} needs a plain metadata.name, for the preview identity to read exactly it`);
        const entry = this.clusterScoped.get(keyOf(kind)) ?? this.clusterScoped.set(keyOf(kind), { kind, names: new Set() }).get(keyOf(kind))!;
        entry.names.add(name);
    }

    /** The namespaces the stack has created something in. */
    namespaces(): string[] {
        return [...this.byNamespace.keys()];
    }

    /** The kinds created in `namespace`, in the order first seen. */
    in(namespace: string): Kind[] {
        return [...(this.byNamespace.get(namespace)?.values() ?? [])];
    }

    /** The cluster-scoped kinds, each with the names of the objects of that kind. */
    cluster(): Array<{ kind: Kind; names: string[] }> {
        return [...this.clusterScoped.values()].map((e) => ({ kind: e.kind, names: [...e.names] }));
    }
}
