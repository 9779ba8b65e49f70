// The program's structure in numbers, from its import statements: which folder imports which, the
// imports between sibling tiers (which the deployment plan removed), and where the mode words of the
// stores are read. `npm run structure` prints it; tests/structure.test.ts holds the line.
import { readdirSync, readFileSync, statSync } from "fs";
import { dirname, join, relative, resolve } from "path";

const ROOT = resolve(__dirname, "..", "..");
const COMPONENTS = join(ROOT, "components");

/** Folders under components/ that build objects; none may import another. */
export const TIERS = ["access", "app", "backup", "data", "ingress", "monitoring", "network", "smoke"] as const;
/** Folders every tier may read: the model, the config, the Kubernetes helpers, the plan. */
export const FLOORS = ["model", "config", "k8s", "plan"] as const;

export interface Import {
    from: string;
    to: string;
}

function sources(dir: string): string[] {
    return readdirSync(dir).flatMap((name) => {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) return sources(path);
        return name.endsWith(".ts") ? [path] : [];
    });
}

/** Every relative import between files of components/, as paths relative to components/ without `.ts`. */
export function componentImports(): Import[] {
    const out: Import[] = [];
    for (const file of sources(COMPONENTS)) {
        const text = readFileSync(file, "utf8");
        for (const m of text.matchAll(/^import[^;]*?from "(\.[^"]+)";/gms)) {
            const target = resolve(dirname(file), m[1]);
            out.push({ from: relative(COMPONENTS, file).replace(/\.ts$/, ""), to: relative(COMPONENTS, target) });
        }
    }
    return out;
}

/** The top folder of a path under components/ (a file at the top is its own "folder"). */
export function folderOf(path: string): string {
    return path.includes("/") ? path.slice(0, path.indexOf("/")) : path;
}

export function isTier(folder: string): boolean {
    return (TIERS as readonly string[]).includes(folder);
}

/** Imports from one tier into another. */
export function siblingTierImports(imports: Import[] = componentImports()): Import[] {
    return imports.filter((i) => {
        const a = folderOf(i.from);
        const b = folderOf(i.to);
        return a !== b && isTier(a) && isTier(b);
    });
}

/** Imports from a tier into a file at the top of components/ (the platform's own parts). */
export function tierToTopImports(imports: Import[] = componentImports()): Import[] {
    return imports.filter((i) => isTier(folderOf(i.from)) && !i.to.includes("/"));
}

/** Places that read a store's mode words (inCluster, external) directly. */
export function rawModeChecks(): Array<{ file: string; line: number; text: string }> {
    const out: Array<{ file: string; line: number; text: string }> = [];
    const pattern = /\.mode\s*[!=]==\s*"(inCluster|external)"/g;
    for (const file of sources(COMPONENTS)) {
        readFileSync(file, "utf8").split("\n").forEach((text, i) => {
            for (const _ of text.matchAll(pattern)) out.push({ file: relative(ROOT, file), line: i + 1, text: text.trim() });
        });
    }
    return out;
}

/** Imports counted by (from folder, to folder), heaviest first. */
export function importsByFolder(imports: Import[] = componentImports()): Array<{ from: string; to: string; count: number }> {
    const counts = new Map<string, number>();
    for (const i of imports) {
        const key = `${folderOf(i.from)} -> ${folderOf(i.to)}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return [...counts.entries()]
        .map(([k, count]) => ({ from: k.split(" -> ")[0], to: k.split(" -> ")[1], count }))
        .filter((r) => r.from !== r.to)
        .sort((a, b) => b.count - a.count || `${a.from}${a.to}`.localeCompare(`${b.from}${b.to}`));
}

/** Relative imports from files under `fromDir` into files under `toDir` (both relative to the project root). */
export function importsBetween(fromDir: string, toDir: string): Import[] {
    const out: Import[] = [];
    const target = join(ROOT, toDir);
    for (const file of sources(join(ROOT, fromDir)).filter((f) => !f.includes("node_modules"))) {
        for (const m of readFileSync(file, "utf8").matchAll(/^import[^;]*?from "(\.[^"]+)";/gms)) {
            const resolved = resolve(dirname(file), m[1]);
            if (resolved.startsWith(`${target}/`)) out.push({ from: relative(ROOT, file), to: relative(ROOT, resolved) });
        }
    }
    return out;
}
