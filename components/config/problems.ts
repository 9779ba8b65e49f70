// Collecting config problems: every problem names the key, the value and what is allowed, and all of
// them are reported at once (ConfigError).
import { ConfigError, Problem } from "./validate";

/** What a message shows instead of a value that may be a secret. */
export const NOT_SHOWN = "[not shown]";
export const SECRET = "[secret]";

export class Problems {
    readonly list: Problem[] = [];
    constructor(private readonly project: string) {}

    add(key: string, value: unknown, allowed: string): void {
        this.list.push({ key: `${this.project}:${key}`, value, allowed });
    }

    /** Throws a ConfigError naming every problem, if there is one. */
    throwIfAny(stack: string): void {
        if (this.list.length > 0) throw new ConfigError(stack, this.list);
    }
}
