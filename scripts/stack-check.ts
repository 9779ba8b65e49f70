// Validates a stack's config as the program will, from `pulumi config --json` on stdin (secret values
// arrive hidden; only which secret keys are set matters here), and says what is still to do. A stack
// that keeps its data across destroy gets every credential stored in its config: the value the stack
// already uses (from its state) when it was deployed before, a new one otherwise.
import { execFileSync } from "child_process";
import { readFileSync } from "fs";
import { generateCredential, generatedCredentials } from "../components/config/credentials";
import { credentialsToStore, resolveConfig } from "../components/config/resolve";
import { SecretConfigKey } from "../components/config/secretRegistry";
import { ConfigError } from "../components/config/validate";
import { PROJECT } from "../tools/render/stackFiles";
import { ConfigEntry, rawStackConfig } from "../tools/stack/stackConfig";

const stack = process.argv[2];
const { values, secretsProvided, plaintextSecrets } = rawStackConfig(stack, JSON.parse(readFileSync(0, "utf8") || "{}") as Record<string, ConfigEntry>);

/** Values @pulumi/random generated for this stack's keys, from its state (none before the first up). */
function generatedInState(): Partial<Record<string, string>> {
    const state = JSON.parse(execFileSync("pulumi", ["stack", "export", "--show-secrets", "--stack", stack], { encoding: "utf8", maxBuffer: 256 * 2 ** 20 }));
    const found: Partial<Record<string, string>> = {};
    for (const r of state.deployment?.resources ?? []) {
        if (r.type !== "random:index/randomPassword:RandomPassword") continue;
        const key = /-secrets-(\w+)$/.exec(r.urn)?.[1];
        const result = r.outputs?.result;
        const value = typeof result === "string" ? result : result?.plaintext !== undefined ? JSON.parse(result.plaintext) : undefined;
        if (key && typeof value === "string") found[key] = value;
    }
    return found;
}

/** Stores a protected stack's missing credentials, encrypted, in its config (the value on stdin, never in argv). */
function storeCredentials(keys: readonly SecretConfigKey[]): void {
    if (keys.length === 0) return;
    const inUse = generatedInState();
    for (const key of keys) {
        const kept = inUse[key];
        execFileSync("pulumi", ["config", "set", "--secret", "--stack", stack, `${PROJECT}:${key}`], { input: kept ?? generateCredential(key), stdio: ["pipe", "ignore", "inherit"] });
        secretsProvided.push(key);
        console.log(kept
            ? `${key}: stored the value this stack already uses (from its state), encrypted in Pulumi.${stack}.yaml`
            : `${key}: generated and stored, encrypted in Pulumi.${stack}.yaml (it now outlives destroy and up, like the data)`);
    }
}

try {
    // A protected stack's credentials are this script's to store, so they cannot be the
    // reason it stops: validate the rest first, store them, then validate the whole.
    storeCredentials(credentialsToStore({ project: PROJECT, stack, values, secretsProvided, plaintextSecrets }));
    const cfg = resolveConfig({ project: PROJECT, stack, values, secretsProvided, plaintextSecrets });
    const generated = generatedCredentials(cfg);
    console.log(`stack ${stack}: config is valid (profile ${cfg.profile}, namespace ${cfg.kubernetes.namespace}).`);
    if (generated.length > 0) console.log(`Generated at the first up unless you set them (pulumi config set --secret <key>): ${generated.join(", ")}.`);
    console.log(`Next: pulumi up --stack ${stack}`);
} catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    console.error(e.message);
    console.error(`Fix these with \`pulumi config set [--secret] --stack ${stack} <key> <value>\`, then run stack:init again.`);
    process.exit(1);
}
