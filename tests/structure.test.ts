// The shape the deployment plan gave the program: tiers read the floors (model, config, k8s, plan)
// and never each other, and a store's mode words are read in one place.
import { expect } from "chai";
import { componentImports, FLOORS, importsBetween, folderOf, isTier, rawModeChecks, siblingTierImports, TIERS, tierToTopImports } from "../tools/structure/structure";

describe("structure of components/", () => {
    const imports = componentImports();

    it("finds the imports it counts (the reader is not blind)", () => {
        // Every tier imports at least one floor: a reader that saw no imports would pass the next test for nothing.
        for (const tier of TIERS) {
            const floors = new Set(imports.filter((i) => folderOf(i.from) === tier).map((i) => folderOf(i.to)).filter((f) => (FLOORS as readonly string[]).includes(f)));
            expect(floors.size, `${tier} imports a floor`).to.be.greaterThan(0);
        }
    });

    it("no tier imports another tier: shared facts come from the plan", () => {
        expect(siblingTierImports(imports).map((i) => `${i.from} -> ${i.to}`)).to.deep.equal([]);
    });

    it("no tier imports a file at the top of components/ (the platform's own parts): the Secret is read through k8s/secretRefs.ts", () => {
        expect(tierToTopImports(imports).map((i) => `${i.from} -> ${i.to}`)).to.deep.equal([]);
    });

    it("no floor imports a tier", () => {
        const up = imports.filter((i) => (FLOORS as readonly string[]).includes(folderOf(i.from)) && isTier(folderOf(i.to)));
        expect(up.map((i) => `${i.from} -> ${i.to}`)).to.deep.equal([]);
    });

    it("a store's mode words (inCluster, external) are read only in config/facts.ts", () => {
        expect([...new Set(rawModeChecks().map((m) => m.file))]).to.deep.equal(["components/config/facts.ts"]);
    });

    it("scripts/ and tests/ do not import each other: what both need lives in tools/ or components/", () => {
        expect(importsBetween("scripts", "tests").map((i) => `${i.from} -> ${i.to}`)).to.deep.equal([]);
        expect(importsBetween("tests", "scripts").map((i) => `${i.from} -> ${i.to}`)).to.deep.equal([]);
        // The reader finds imports across folders at all: tests import tools/.
        expect(importsBetween("tests", "tools").length).to.be.greaterThan(0);
    });
});
