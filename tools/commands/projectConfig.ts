// Writes Pulumi.yaml from components/config/schema.ts so the declared config schema and the
// keys the program reads cannot drift (tests/program.test.ts checks the committed file).
//   npm run project-config          # rewrite Pulumi.yaml
//   npm run project-config -- --check
import { readFileSync, writeFileSync } from "fs";
import { join } from "path";
import { stringify } from "yaml";
import { CONFIG_SCHEMA } from "../../components/config/schema";

export function renderProjectFile(): string {
    const config: Record<string, Record<string, unknown>> = {};
    for (const spec of CONFIG_SCHEMA) {
        // Secret keys are optional (generated when unset), so they need a default; but the Pulumi CLI
        // validates merged defaults too, and refuses a `secret: true` key whose (plaintext) default
        // applies. So they are declared without `secret: true` and the program itself refuses a value
        // that was not set with --secret (components/config/rules/secrets.ts).
        config[spec.key] = {
            type: spec.type,
            description: spec.secret ? `Secret: set with \`pulumi config set --secret ${spec.key}\`; a plaintext value is refused. ${spec.description}` : spec.description,
            default: spec.default,
        };
    }
    const project = {
        name: "the0-infra",
        description: "the0 (algorithmic trading platform) on Kubernetes: app tier, data tier, NATS JetStream, Gateway API or Ingress with TLS from cert-manager.",
        // main.js loads the program compiled once to JavaScript (recompiled when a source changes):
        // no ts-node on every run. `npm test` is the type-check.
        runtime: { name: "nodejs", options: { typescript: false } },
        main: "main.js",
        config,
    };
    return "# Generated from components/config/schema.ts by `npm run project-config`; edit the schema, not this file.\n" + stringify(project, { lineWidth: 0 });
}

/** `npm run project-config` writes Pulumi.yaml; with --check it fails when the file is stale. */
export function main(argv: string[]): void {
    const path = join(__dirname, "..", "..", "Pulumi.yaml");
    const rendered = renderProjectFile();
    if (argv.includes("--check")) {
        if (readFileSync(path, "utf8") !== rendered) {
            console.error("Pulumi.yaml is stale: run `npm run project-config`");
            process.exit(1);
        }
    } else {
        writeFileSync(path, rendered);
    }
}
