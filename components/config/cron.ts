// A CronJob schedule as the Kubernetes API server parses it (robfig/cron v3 `ParseStandard`), so
// that a schedule the server would refuse mid-deploy is refused before anything is created.

interface Field {
    name: string;
    min: number;
    max: number;
    names?: readonly string[];
}

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

const FIELDS: readonly Field[] = [
    { name: "minute", min: 0, max: 59 },
    { name: "hour", min: 0, max: 23 },
    { name: "day of month", min: 1, max: 31 },
    { name: "month", min: 1, max: 12, names: MONTHS },
    { name: "day of week", min: 0, max: 6, names: DAYS },
];

const DESCRIPTORS = ["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"];
/** Go duration, as `@every` takes it (time.ParseDuration). */
const GO_DURATION = /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/;

/** Why the API server would refuse `schedule`, or undefined when it parses. */
export function cronProblem(schedule: string): string | undefined {
    const s = schedule.trim();
    if (s === "") return "is empty";
    if (/^(CRON_)?TZ=/.test(s)) return "must not set TZ= or CRON_TZ= (the API server refuses it; CronJobs take a timeZone field)";
    if (s.startsWith("@")) {
        if (DESCRIPTORS.includes(s)) return undefined;
        const every = /^@every (.+)$/.exec(s);
        if (every && GO_DURATION.test(every[1])) return undefined;
        return `unknown descriptor; allowed: ${DESCRIPTORS.join(", ")}, @every <duration>`;
    }
    const parts = s.split(/\s+/);
    if (parts.length !== 5) return `has ${parts.length} field${parts.length === 1 ? "" : "s"}, needs 5 (minute hour day-of-month month day-of-week)`;
    for (let i = 0; i < 5; i++) {
        const problem = fieldProblem(parts[i], FIELDS[i]);
        if (problem) return problem;
    }
    return undefined;
}

function fieldProblem(expr: string, f: Field): string | undefined {
    for (const range of expr.split(",")) {
        const [span, step, ...rest] = range.split("/");
        if (rest.length > 0) return `${f.name} "${range}" has more than one /`;
        let start: number;
        let end: number;
        if (span === "*" || span === "?") {
            start = f.min;
            end = f.max;
        } else {
            const bounds = span.split("-");
            if (bounds.length > 2) return `${f.name} "${range}" has more than one -`;
            const lo = value(bounds[0], f);
            const hi = bounds.length === 2 ? value(bounds[1], f) : step !== undefined ? f.max : lo;
            if (typeof lo === "string") return lo;
            if (typeof hi === "string") return hi;
            start = lo;
            end = hi;
        }
        if (start < f.min || end > f.max) return `${f.name} "${range}" is outside ${f.min}-${f.max}`;
        if (start > end) return `${f.name} "${range}" starts after it ends`;
        if (step !== undefined && !(/^\d+$/.test(step) && Number(step) > 0)) return `${f.name} "${range}" needs a positive step`;
    }
    return undefined;
}

/** A number or (for month and day of week) a three-letter name; a string is the problem. */
function value(token: string, f: Field): number | string {
    const named = f.names?.indexOf(token.toLowerCase()) ?? -1;
    if (named >= 0) return named + (f.name === "month" ? 1 : 0);
    if (!/^\d+$/.test(token)) return `${f.name} "${token}" is not a number${f.names ? " or name" : ""}`;
    return Number(token);
}
