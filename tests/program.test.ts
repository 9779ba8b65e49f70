// The stack program itself (index.ts + loadConfig) and the project file's config schema.
import * as pulumi from "@pulumi/pulumi";
import { RunError } from "@pulumi/pulumi/errors";
import { expect } from "chai";
import { readFileSync } from "fs";
import { join } from "path";
import { parse } from "yaml";
import { loadConfig } from "../components/config/load";
import { CONFIG_SCHEMA } from "../components/config/schema";
import { ConfigError } from "../components/config/validate";
import { SECRET_CONFIG_KEYS } from "../components/config/secretRegistry";
import { renderProjectFile } from "../tools/commands/projectConfig";
import { capturedSoFar, PROJECT, resetCapture, settle, stackValues, T, unwrap, valueOf } from "../tools/render/render";

describe("Pulumi.yaml config schema", () => {
    const project = parse(readFileSync(join(__dirname, "..", "Pulumi.yaml"), "utf8"));

    it("is the committed rendering of components/config/schema.ts", () => {
        expect(readFileSync(join(__dirname, "..", "Pulumi.yaml"), "utf8")).to.equal(renderProjectFile());
    });

    it("declares every key with type, description and default; secret keys say --secret", () => {
        expect(project.name).to.equal(PROJECT);
        expect(project.runtime.name).to.equal("nodejs");
        for (const spec of CONFIG_SCHEMA) {
            const decl = project.config[spec.key];
            expect(decl, spec.key).to.include.keys("type", "description", "default");
            // `secret: true` with a default is refused by the CLI whenever the default applies.
            expect(decl.secret, spec.key).to.equal(undefined);
            if ((SECRET_CONFIG_KEYS as readonly string[]).includes(spec.key)) {
                expect(decl.description, spec.key).to.include(`pulumi config set --secret ${spec.key}`);
                expect(decl.default, spec.key).to.equal("");
            }
        }
        expect(Object.keys(project.config).sort()).to.deep.equal(CONFIG_SCHEMA.map((s) => s.key).sort());
    });

    it("keeps every stack file to declared keys, without plaintext secrets", () => {
        for (const stack of ["dev", "staging", "production"]) {
            const file = parse(readFileSync(join(__dirname, "..", `Pulumi.${stack}.yaml`), "utf8"));
            for (const key of Object.keys(file.config)) {
                const short = key.replace(`${PROJECT}:`, "");
                expect(CONFIG_SCHEMA.map((s) => s.key), `${stack}: ${key}`).to.include(short);
                expect((SECRET_CONFIG_KEYS as readonly string[]).includes(short), `${stack}: ${key} must be set with --secret`).to.equal(false);
            }
        }
    });
});

describe("index.ts (the stack program)", () => {
    let program: Awaited<typeof import("../index")>;

    before(async () => {
        // Config the way the CLI provides it: Pulumi.yaml defaults merged with Pulumi.dev.yaml, plus a secret.
        const config: Record<string, string> = {};
        for (const [k, v] of Object.entries(stackValues("dev"))) config[`${PROJECT}:${k}`] = v;
        config[`${PROJECT}:jwtSecret`] = "configured-jwt-secret-for-the-program-test";
        config[`${PROJECT}:postgresPassword`] = "";
        pulumi.runtime.setAllConfig(config, [`${PROJECT}:jwtSecret`, `${PROJECT}:postgresPassword`]);
        resetCapture();
        // index.ts exports the promise of its outputs, which Pulumi awaits.
        program = await (require("../index") as typeof import("../index"));
        await settle();
    });

    it("exports namespace, URLs, endpoints and hostnames, none of them secret", async () => {
        expect(await valueOf(program.namespace)).to.equal("the0");
        expect(program.urls).to.deep.equal({
            frontend: "http://the0.local:30001", api: "http://api.the0.local:30000", docs: "http://docs.the0.local:30004",
        });
        expect(program.endpoints).to.deep.include({ api: "http://the0-api:3000", botControllerQuery: "http://the0-bot-controller:9477" });
        expect(program.hostnames).to.deep.equal(["the0.local", "api.the0.local", "docs.the0.local", "minio.the0.local"]);
        expect(await pulumi.isSecret(program.namespace)).to.equal(false);
    });

    it("exports what a user needs on day one: the0's version, where DNS must point, how to sign in (never the password)", async () => {
        expect(program.the0Version).to.equal("1.14.0");
        expect(program.adminSignIn).to.equal("http://the0.local:30001 as admin@the0.local; the password: kubectl -n the0 get secret the0-secrets -o jsonpath='{.data.admin-password}' | base64 -d");
        if (program.dns === "not exposed") throw new Error("dev is exposed");
        expect(program.dns.hosts).to.deep.equal(["the0.local", "api.the0.local", "docs.the0.local"]);
        // Under mocks no controller writes the Ingress's address: the output says how to see it.
        expect(await valueOf(program.dns.pointAt as pulumi.Output<string>)).to.equal("not assigned yet: kubectl -n the0 get ingress");
    });

    it("takes configured secrets from config and generates only the rest", () => {
        const generated = capturedSoFar().filter((r) => r.type === T.RandomPassword).map((r) => r.name);
        expect(generated).to.not.include("the0-secrets-jwtSecret");
        // An empty secret value counts as unset, as the Pulumi.yaml default does.
        expect(generated).to.include("the0-secrets-postgresPassword");
        const secret = capturedSoFar().find((r) => r.type === T.Secret)!;
        expect(unwrap(secret.inputs).stringData["jwt-secret"]).to.equal("configured-jwt-secret-for-the-program-test");
    });

    it("registers the whole platform", () => {
        const types = new Set(capturedSoFar().map((r) => r.type));
        for (const t of [T.Namespace, T.Secret, T.StatefulSet, T.Deployment, T.CronJob, T.Ingress, T.Role]) expect(types, t).to.include(t);
        expect(capturedSoFar().filter((r) => r.type === "the0:platform:Platform")).to.have.length(1);
    });
});

describe("loadConfig", () => {
    it("refuses secrets set in plaintext and unknown keys, without echoing the secret", () => {
        pulumi.runtime.setAllConfig({
            [`${PROJECT}:jwtSecret`]: "plaintext-jwt-value",
            [`${PROJECT}:natsReplica`]: "3",
        }, []);
        let error: unknown;
        expect(() => {
            try {
                loadConfig();
            } catch (e) {
                error = e;
                throw e;
            }
        }).to.throw(ConfigError);
        // The language host prints a RunError's message alone, without a stack trace.
        expect(RunError.isInstance(error)).to.equal(true);
        const message = (error as Error).message;
        expect(message).to.include(`${PROJECT}:jwtSecret = "[not shown]": is a secret but was set in plaintext, so its value is now written in clear in Pulumi.dev.yaml`);
        expect(message).to.include("remove it with `pulumi config rm jwtSecret`, treat the value as exposed");
        // An unknown key whose name is not secret-like shows its value.
        expect(message).to.include(`${PROJECT}:natsReplica = "3": unknown config key`);
        expect(message).to.not.include("plaintext-jwt-value");
    });
});
