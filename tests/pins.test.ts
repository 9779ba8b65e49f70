// Every pin has an update path: each image, chart and the0 release pinned in the program carries a
// `renovate:` annotation, and renovate.json's own regular expressions find each of them with the
// right current value (the same matching Renovate does, run here on the committed files).
import { expect } from "chai";
import { readFileSync } from "fs";
import { join } from "path";
import { CHART_VERSIONS, DATA_IMAGES, EXPORTER_IMAGES, THE0_VERSION } from "../components/config/pins";

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

    it("moves the0's release and the chart the parity test renders as one change", () => {
        expect(profiles.get("ghcr.io/alexanderwanyoike/the0/api")).to.equal(THE0_VERSION);
        expect(extracted(".github/workflows/ci.yml").get("alexanderwanyoike/the0")).to.equal(`v${THE0_VERSION}`);
        const group = renovate.packageRules.find((r) => r.groupName === "the0 release");
        expect(group?.matchDepNames).to.include.members(["ghcr.io/alexanderwanyoike/the0/api", "alexanderwanyoike/the0"]);
    });

    it("leaves no quoted image reference in the program without an annotation", () => {
        // Any "<name>:<tag>" string literal that looks like an image, anywhere in components/.
        const text = readFileSync(join(ROOT, "components/config/pins.ts"), "utf8").split("\n");
        const images = text.flatMap((line, i) => (/"[a-z0-9._\-/]+:[\w.-]+"/.test(line) && !line.includes("//") ? [[i, line] as const] : []));
        expect(images.length).to.equal(Object.keys(DATA_IMAGES).length + Object.keys(EXPORTER_IMAGES).length);
        for (const [i, line] of images) expect(text[i - 1], line).to.match(/\/\/ renovate: datasource=docker depName=/);
    });
});
