// The bad-input corpus: each invalid configuration fails with exactly its expected problems,
// before a single resource is registered.
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { readFileSync } from "fs";
import { join } from "path";
import { parse } from "yaml";
import { loadConfig } from "../components/config/load";
import { ConfigError } from "../components/config/validate";
import { Platform } from "../components/platform";
import { capturedSoFar, PROJECT, resetCapture, settle, toConfigString } from "../tools/render/render";

interface BadConfig {
    name: string;
    config?: Record<string, unknown>;
    secrets?: Record<string, string>;
    plaintext?: Record<string, string>;
    errors: string[];
}

const corpus = parse(readFileSync(join(__dirname, "corpus", "bad-configs.yaml"), "utf8")) as BadConfig[];

describe("bad-input corpus", () => {
    it("holds at least 25 cases, each with its expected errors", () => {
        expect(corpus.length).to.be.at.least(25);
        for (const c of corpus) expect(c.errors, c.name).to.have.length.greaterThan(0);
    });

    for (const c of corpus) {
        it(c.name, async () => {
            const config: Record<string, string> = {};
            const key = (k: string) => `${PROJECT}:${k}`;
            for (const [k, v] of Object.entries(c.config ?? {})) config[key(k)] = toConfigString(v);
            for (const [k, v] of Object.entries({ ...c.secrets, ...c.plaintext })) config[key(k)] = v;
            pulumi.runtime.setAllConfig(config, Object.keys(c.secrets ?? {}).map(key));
            resetCapture();

            let error: unknown;
            try {
                // What index.ts does.
                const { config: cfg, secrets } = loadConfig();
                new Platform("the0", { config: cfg, secrets });
            } catch (e) {
                error = e;
            }
            await settle();

            expect(error, "expected a ConfigError").to.be.instanceOf(ConfigError);
            const lines = (error as Error).message.split("\n").slice(1).map((l) => l.replace(/^  - /, ""));
            expect(lines.sort()).to.deep.equal([...c.errors].sort());
            expect((error as Error).message).to.match(new RegExp(`\\(${c.errors.length} problems?\\)`));
            expect(capturedSoFar(), "resources registered").to.have.length(0);
            for (const secret of Object.values({ ...c.secrets, ...c.plaintext })) expect((error as Error).message).to.not.include(secret);
        });
    }
});
