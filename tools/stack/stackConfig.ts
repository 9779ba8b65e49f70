// A stack's config as `pulumi config --json` prints it, turned into what the program's resolver reads:
// the project's defaults under the stack's values, and which secret keys are set (never their values,
// which arrive hidden). Shared by stack:init's check and the restore script.
import { execFileSync } from "child_process";
import { RawConfig } from "../../components/config/parse";
import { resolveConfig } from "../../components/config/resolve";
import { PlatformConfig } from "../../components/config/types";
import { ConfigError } from "../../components/config/validate";
import { SECRET_CONFIG_KEYS } from "../../components/config/secretRegistry";
import { PROJECT, projectDefaults } from "../render/stackFiles";

export interface ConfigEntry {
    value?: unknown;
    objectValue?: unknown;
    secret?: boolean;
}

/** A deployed stack's validated config, read with `pulumi config --json` (current backend); a config problem is thrown as `onProblem`'s error. */
export function loadStackConfig(stack: string, onProblem: (message: string) => Error): PlatformConfig {
    const entries = JSON.parse(execFileSync("pulumi", ["config", "--json", "--stack", stack], { encoding: "utf8" })) as Record<string, ConfigEntry>;
    try {
        return resolveConfig(rawStackConfig(stack, entries));
    } catch (e) {
        if (e instanceof ConfigError) throw onProblem(e.message);
        throw e;
    }
}

/** kubectl's arguments for the stack's cluster and namespace: its kube context (when it names one), then `args`. */
export function kubectlArgs(cfg: PlatformConfig, args: string[]): string[] {
    return [...(cfg.kubernetes.context ? ["--context", cfg.kubernetes.context] : []), "-n", cfg.kubernetes.namespace, ...args];
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
