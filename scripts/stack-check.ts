// Validates a stack's config as the program will, from `pulumi config --json` on stdin (secret values
// arrive hidden; only which secret keys are set matters here), and says what is still to do.
import { readFileSync } from "fs";
import { resolveConfig } from "../components/config/resolve";
import { SECRET_CONFIG_KEYS } from "../components/config/types";
import { ConfigError } from "../components/config/validate";
import { PROJECT, projectDefaults } from "../tools/render/stackFiles";

interface ConfigEntry {
    value?: unknown;
    objectValue?: unknown;
    secret: boolean;
}

const stack = process.argv[2];
const entries = JSON.parse(readFileSync(0, "utf8") || "{}") as Record<string, ConfigEntry>;
const values: Record<string, string> = projectDefaults();
const secretsProvided: string[] = [];
const plaintextSecrets: string[] = [];
for (const [fullKey, e] of Object.entries(entries)) {
    if (!fullKey.startsWith(`${PROJECT}:`)) continue;
    const key = fullKey.slice(PROJECT.length + 1);
    if ((SECRET_CONFIG_KEYS as readonly string[]).includes(key)) {
        // Project defaults list every secret key with an empty plaintext value: not set.
        if (e.secret) secretsProvided.push(key);
        else if (typeof e.value === "string" && e.value !== "") secretsProvided.push(key), plaintextSecrets.push(key);
    } else if (e.value !== undefined) {
        values[key] = typeof e.value === "string" ? e.value : JSON.stringify(e.objectValue ?? e.value);
    }
}
try {
    const cfg = resolveConfig({ project: PROJECT, stack, values, secretsProvided, plaintextSecrets });
    const generated = SECRET_CONFIG_KEYS.filter((k) => !secretsProvided.includes(k) && ["postgresPassword", "mongoRootPassword", "minioAccessKey", "minioSecretKey", "jwtSecret", "rootAdminPassword"].includes(k));
    console.log(`stack ${stack}: config is valid (profile ${cfg.profile}, namespace ${cfg.kubernetes.namespace}).`);
    if (cfg.existingSecret === "" && generated.length > 0) console.log(`Generated at the first up unless you set them (pulumi config set --secret <key>): ${generated.join(", ")}.`);
    console.log(`Next: pulumi up --stack ${stack}`);
} catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    console.error(e.message);
    console.error(`Fix these with \`pulumi config set [--secret] --stack ${stack} <key> <value>\`, then run stack:init again.`);
    process.exit(1);
}
