// The generated tables in docs/kubernetes-deployment.md and README.md match the program.
import { expect } from "chai";
import { fill, staleFiles } from "../tools/commands/docs";

describe("generated docs", () => {
    it("are up to date (run `npm run docs` after changing the program)", async () => {
        expect(await staleFiles()).to.deep.equal([]);
    });

    it("refuse an unknown generated block", () => {
        expect(() => fill("<!-- BEGIN GENERATED: nope -->\nx\n<!-- END GENERATED: nope -->", {})).to.throw(/unknown generated block nope/);
    });
});
