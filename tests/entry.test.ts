// main.js, the entry point Pulumi runs: the program compiled once (transpile only) into a cache
// keyed by the sources, then loaded as JavaScript; the same platform as index.ts.
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { appendFileSync, cpSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { parse } from "yaml";
import { readFileSync } from "fs";
import { buildStack, capturedSoFar, PROJECT, resetCapture, settle, stackValues } from "../tools/render/render";

const ROOT = join(__dirname, "..");

/** A copy of what Pulumi needs to run the program: the project as a user checks it out. */
function scratchProject(): string {
    const dir = mkdtempSync(join(tmpdir(), "the0-entry-"));
    for (const f of ["main.js", "index.ts", "tsconfig.json", "components"]) cpSync(join(ROOT, f), join(dir, f), { recursive: true });
    symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"));
    return dir;
}

/** The compiled programs in the cache (beside V8's code cache, "v8"). */
function compiled(dir: string): string[] {
    return readdirSync(join(dir, ".build")).filter((d) => d !== "v8");
}

/** Loads main.js from `dir` as the language host would, and returns what it registered. */
async function run(dir: string): Promise<string[]> {
    for (const k of Object.keys(require.cache)) if (k.startsWith(dir)) delete require.cache[k];
    resetCapture();
    require(join(dir, "main.js"));
    await settle();
    return capturedSoFar().filter((r) => r.custom).map((r) => `${r.type}::${r.name}`).sort();
}

describe("main.js (what Pulumi runs: the program compiled once)", function () {
    this.timeout(60_000);
    let dir: string;
    before(() => {
        dir = scratchProject();
        const config: Record<string, string> = {};
        for (const [k, v] of Object.entries(stackValues("dev"))) config[`${PROJECT}:${k}`] = v;
        pulumi.runtime.setAllConfig(config, []);
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it("is the project's entry point, with Pulumi's TypeScript mode off", () => {
        const project = parse(readFileSync(join(ROOT, "Pulumi.yaml"), "utf8"));
        expect(project.main).to.equal("main.js");
        expect(project.runtime.options.typescript).to.equal(false);
    });

    it("compiles on the first run and registers the same platform as index.ts", async () => {
        const registered = await run(dir);
        const expected = (await buildStack("dev", { secrets: {} })).resources.filter((r) => r.custom).map((r) => `${r.type}::${r.name}`).sort();
        expect(registered).to.deep.equal(expected);
        expect(compiled(dir)).to.have.length(1);
    });

    it("reuses the compiled program while the sources are unchanged, and recompiles when one changes", async () => {
        const [first] = compiled(dir);
        const compiledAt = statSync(join(dir, ".build", first, "index.js")).mtimeMs;
        await run(dir);
        expect(compiled(dir)).to.deep.equal([first]);
        expect(statSync(join(dir, ".build", first, "index.js")).mtimeMs).to.equal(compiledAt);

        appendFileSync(join(dir, "components", "outputs.ts"), "\n// changed\n");
        await run(dir);
        const after = compiled(dir);
        expect(after).to.have.length(1);
        expect(after[0]).to.not.equal(first);
        expect(readFileSync(join(dir, ".build", after[0], "components", "outputs.js"), "utf8")).to.include("// changed");
    });
});
