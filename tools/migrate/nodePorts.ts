// Node ports for a stack deployed beside a release: a NodePort is allocated cluster-wide, and the
// chart's defaults (api 30000, frontend 30001, minio 30002 and its console 30003, docs 30004) are this program's too, so
// the new install's Services would be refused ("provided port is already allocated") while the
// release holds them. The stack takes the same block moved up by whole hundreds until every port is
// free; after --finish the user may move them back.
import { NODE_PORTS } from "../../components/config/schema";
import { NODE_PORT_KEYS, NODE_PORT_RANGE, NodePortKey } from "../../components/model/basics";

export interface NodePortMove {
    /** Config leaves `nodePorts.<key>` -> port, for each port the stack must not take as it stands. */
    config: Record<string, number>;
    /** One line for the dry run, or undefined when nothing clashes. */
    note?: string;
    /** Set when the stack cannot be placed: no free block remains. */
    problem?: string;
}

/**
 * `config` holds the stack config the migration writes (dotted keys); `taken` the node ports the
 * cluster's Services hold. Returns the ports to set when any the stack would take is taken.
 */
export function nodePortsBeside(config: Record<string, unknown>, taken: ReadonlySet<number>): NodePortMove {
    const wanted = Object.fromEntries(NODE_PORT_KEYS.map((k) => [k, Number(config[`nodePorts.${k}`] ?? NODE_PORTS[k])])) as Record<NodePortKey, number>;
    const clashing = NODE_PORT_KEYS.filter((k) => taken.has(wanted[k]));
    if (clashing.length === 0) return { config: {} };
    for (let shift = 100; Math.max(...Object.values(wanted)) + shift <= NODE_PORT_RANGE.max; shift += 100) {
        if (NODE_PORT_KEYS.some((k) => taken.has(wanted[k] + shift))) continue;
        const config = Object.fromEntries(NODE_PORT_KEYS.map((k) => [`nodePorts.${k}`, wanted[k] + shift]));
        const held = clashing.map((k) => `${k} ${wanted[k]}`).join(", ");
        return {
            config,
            note: `node ports ${held} are held by the cluster (the release's Services) until --finish: the stack takes ${NODE_PORT_KEYS.map((k) => wanted[k] + shift).join(", ")} (${NODE_PORT_KEYS.join(", ")}); after --finish, pulumi config set nodePorts.<name> <port> and pulumi up move them back`,
        };
    }
    return { config: {}, problem: `node ports ${clashing.map((k) => `${k} ${wanted[k]}`).join(", ")} are held and no free block of ${NODE_PORT_KEYS.length} remains below ${NODE_PORT_RANGE.max}: set nodePorts.* in the stack by hand, or free them` };
}
