// The program's entry point as Pulumi runs it (Pulumi.yaml: main: main.js, typescript: false).
//
// Pulumi's TypeScript mode starts ts-node on every run: it loads the TypeScript compiler and
// transpiles every module again, even for a no-op `up` or a `preview`. Instead this loads the
// program compiled once to JavaScript, from a cache keyed by the sources' content, and compiles
// (transpile only: `npm test` is the type-check) when a source has changed. Plain JavaScript, so
// that nothing has to be compiled to compile it.
"use strict";
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");

const ROOT = __dirname;
const SOURCES = ["index.ts", "components"];
const CACHE = path.join(ROOT, ".build");
/** V8's code cache for every module loaded from here on (Node 22): the SDKs' lazily loaded parts and the program. */
const CODE_CACHE = path.join(CACHE, "v8");

require("module").enableCompileCache?.(CODE_CACHE);

// The SDK's runner installs source-map-support, and the SDK takes a stack trace for every resource
// it registers (its source position): each trace is then mapped through the source maps of the
// frames' files, @pulumi's own .js.map files, parsed on every run. Our compiled modules carry no maps,
// so the mapping only ever rewrote @pulumi's frames to its TypeScript sources; V8's own traces keep
// every frame with file, line and column. Measured on a no-op: 0.4 s of CPU and about 0.3 s of wall
// time a run (docs/performance.md). Only under the engine: tests that load this file keep theirs.
if (require("@pulumi/pulumi/runtime/settings").hasEngine()) Error.prepareStackTrace = undefined;

/** Every .ts file of the program (not tests), relative to ROOT, sorted. */
function sourceFiles() {
    const out = [];
    const walk = (rel) => {
        const abs = path.join(ROOT, rel);
        if (fs.statSync(abs).isDirectory()) {
            for (const name of fs.readdirSync(abs)) walk(path.join(rel, name));
        } else if (rel.endsWith(".ts") && !rel.endsWith(".d.ts")) {
            out.push(rel);
        }
    };
    for (const s of SOURCES) walk(s);
    return out.sort();
}

/** The cache key: the sources, tsconfig, this file (how it compiles) and the TypeScript version, by content. */
function keyOf(files, tsconfig, tsVersion) {
    const hash = crypto.createHash("sha256");
    hash.update(JSON.stringify({ tsconfig, tsVersion })).update(fs.readFileSync(__filename));
    for (const f of files) hash.update(`\0${f}\0`).update(fs.readFileSync(path.join(ROOT, f)));
    return hash.digest("hex").slice(0, 16);
}

/** tsconfig's compilerOptions, as the compiler API reads them. */
function compilerOptions(ts) {
    const read = ts.readConfigFile(path.join(ROOT, "tsconfig.json"), ts.sys.readFile);
    if (read.error) throw new Error(ts.flattenDiagnosticMessageText(read.error.messageText, "\n"));
    const parsed = ts.convertCompilerOptionsFromJson(read.config.compilerOptions ?? {}, ROOT);
    // No source maps: Node's --enable-source-maps would cost 0.7 s a run (it parses every dependency's
    // maps too), and transpiled modules keep the sources' shape and names, so traces stay readable.
    return { ...parsed.options, sourceMap: false, inlineSourceMap: false, declaration: false, noEmit: false, outDir: undefined };
}

/** Transpiles every source into a fresh directory, then moves it into place (concurrent runs may race). */
function compile(ts, files, options, dir) {
    const tmp = `${dir}.${process.pid}.tmp`;
    fs.rmSync(tmp, { recursive: true, force: true });
    for (const f of files) {
        const source = fs.readFileSync(path.join(ROOT, f), "utf8");
        const { outputText } = ts.transpileModule(source, { compilerOptions: options, fileName: path.join(ROOT, f) });
        const target = path.join(tmp, f.replace(/\.ts$/, ".js"));
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.writeFileSync(target, outputText);
    }
    try {
        fs.renameSync(tmp, dir);
    } catch (e) {
        // Another run got there first with the same sources: use its output.
        fs.rmSync(tmp, { recursive: true, force: true });
        if (!fs.existsSync(dir)) throw e;
    }
    // Keep the cache to what is in use.
    for (const old of fs.readdirSync(CACHE)) {
        const p = path.join(CACHE, old);
        if (p !== dir && p !== CODE_CACHE && !old.endsWith(".tmp")) fs.rmSync(p, { recursive: true, force: true });
    }
}

function compiledEntry() {
    const files = sourceFiles();
    // The key needs only the TypeScript version and tsconfig, not the compiler itself.
    const tsVersion = require("typescript/package.json").version;
    const tsconfig = fs.readFileSync(path.join(ROOT, "tsconfig.json"), "utf8");
    const dir = path.join(CACHE, keyOf(files, tsconfig, tsVersion));
    if (!fs.existsSync(path.join(dir, "index.js"))) {
        const ts = require("typescript");
        fs.mkdirSync(CACHE, { recursive: true });
        compile(ts, files, compilerOptions(ts), dir);
    }
    return path.join(dir, "index.js");
}

// The compiled modules resolve packages from the project's node_modules, as the sources do.
module.exports = require(compiledEntry());
