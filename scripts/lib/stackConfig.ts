// A stack's config as `pulumi config --json` prints it, turned into what the program's resolver reads:
// the project's defaults under the stack's values, and which secret keys are set (never their values,
// which arrive hidden). Shared by stack:init's check and the restore script.
import { RawConfig } from "../../components/config/parse";
import { SECRET_CONFIG_KEYS } from "../../components/config/types";
import { PROJECT, projectDefaults } from "../../tools/render/stackFiles";

export interface ConfigEntry {
    value?: unknown;
    objectValue?: unknown;
    secret?: boolean;
}

export function rawStackConfig(stack: string, entries: Record<string, ConfigEntry>): RawConfig & { values: Record<string, string>; secretsProvided: string[]; plaintextSecrets: string[] } {
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
    return { project: PROJECT, stack, values, secretsProvided, plaintextSecrets };
}
