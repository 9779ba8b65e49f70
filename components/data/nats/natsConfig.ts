// nats-server configuration rendered from an object through one serializer (as the nats-io chart's
// `nats.formatConfig` does), never assembled from strings by hand. Every string is written quoted,
// so no value (a name, a path, a URL) can be re-read by nats-server as config syntax.

export type NatsValue = string | number | boolean | NatsValue[] | NatsBlock;
export interface NatsBlock {
    [key: string]: NatsValue;
}

const INDENT = "  ";

function scalar(v: string | number | boolean): string {
    if (typeof v === "string") return JSON.stringify(v);
    if (typeof v === "number" && !Number.isFinite(v)) throw new Error(`nats config: ${v} is not a number nats-server reads`);
    return String(v);
}

function lines(block: NatsBlock, depth: number): string[] {
    const pad = INDENT.repeat(depth);
    const out: string[] = [];
    for (const [key, v] of Object.entries(block)) {
        if (!/^[a-z_][a-z0-9_]*$/.test(key)) throw new Error(`nats config: key ${JSON.stringify(key)} is not a nats-server key`);
        if (Array.isArray(v)) {
            out.push(`${pad}${key}: [`);
            for (const item of v) {
                if (typeof item === "object") throw new Error(`nats config: ${key} holds only scalars here`);
                out.push(`${pad}${INDENT}${scalar(item)}`);
            }
            out.push(`${pad}]`);
        } else if (typeof v === "object") {
            out.push(`${pad}${key} {`, ...lines(v, depth + 1), `${pad}}`);
        } else {
            out.push(`${pad}${key}: ${scalar(v)}`);
        }
    }
    return out;
}

/** The config file text of `config`. */
export function formatNatsConfig(config: NatsBlock): string {
    return lines(config, 0).join("\n") + "\n";
}
