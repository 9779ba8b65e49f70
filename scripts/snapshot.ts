// Every resource of the three stacks and every outcome of the bad-input corpus, rendered under
// mocks to one JSON file: the safety net of a refactor that must not change what is deployed.
//   npm run snapshot -- before.json    ... refactor ...    npm run snapshot -- after.json && diff before.json after.json
import { createHash } from "crypto";
import { readFileSync, writeFileSync } from "fs";
import { join } from "path";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { loadConfig } from "../components/config/load";
import { Platform } from "../components/platform";
import { buildStack, capturedSoFar, PROJECT, resetCapture, settle, stackInitSecrets, toConfigString, unwrap } from "../tools/render/render";

interface BadConfig {
    name: string;
    config?: Record<string, unknown>;
    secrets?: Record<string, string>;
    plaintext?: Record<string, string>;
}

/**
 * The credentials `stack:init` would store, with the same keys and lengths but fixed values: two
 * snapshots of the same tree are byte-identical.
 */
function fixedStackInitSecrets(stack: string): Record<string, string> {
    const fixed = (key: string, length: number) => createHash("sha256").update(`${stack}/${key}`).digest("hex").slice(0, length);
    return Object.fromEntries(Object.entries(stackInitSecrets(stack)).map(([k, v]) => [k, fixed(k, (v as string).length)]));
}

/** Resources in a stable order, with Pulumi's secret wrappers removed. */
function canonical(resources: Array<{ type: string; name: string; inputs: Record<string, unknown> }>) {
    return resources.map((r) => ({ type: r.type, name: r.name, inputs: unwrap(r.inputs) })).sort((a, b) => `${a.type} ${a.name}`.localeCompare(`${b.type} ${b.name}`));
}

async function main(): Promise<void> {
    const out = process.argv[2];
    if (!out) throw new Error("usage: npm run snapshot -- <file.json>");
    const snapshot: Record<string, unknown> = {};
    for (const stack of ["dev", "staging", "production"]) {
        const m = await buildStack(stack, { secrets: fixedStackInitSecrets(stack) });
        const { urls, endpoints, hostnames, secretName } = m.platform.outputs;
        snapshot[stack] = { resources: canonical(m.resources), outputs: { urls, endpoints, hostnames, secretName } };
    }

    const corpus = parse(readFileSync(join(__dirname, "..", "tests", "corpus", "bad-configs.yaml"), "utf8")) as BadConfig[];
    const outcomes: Record<string, string> = {};
    for (const c of corpus) {
        const config: Record<string, string> = {};
        for (const [k, v] of Object.entries(c.config ?? {})) config[`${PROJECT}:${k}`] = toConfigString(v);
        for (const [k, v] of Object.entries({ ...c.secrets, ...c.plaintext })) config[`${PROJECT}:${k}`] = v;
        pulumi.runtime.setAllConfig(config, Object.keys(c.secrets ?? {}).map((k) => `${PROJECT}:${k}`));
        resetCapture();
        try {
            const { config: cfg, secrets } = loadConfig();
            new Platform("the0", { config: cfg, secrets });
            outcomes[c.name] = "accepted";
        } catch (e) {
            outcomes[c.name] = (e as Error).message;
        }
        await settle();
        if (capturedSoFar().length > 0) outcomes[c.name] += ` (registered ${capturedSoFar().length})`;
    }
    snapshot.corpus = outcomes;
    writeFileSync(out, JSON.stringify(snapshot, null, 1));
    console.log(`wrote ${out}`);
}

main().catch((e) => {
    console.error(e);
    process.exit(1);
});
