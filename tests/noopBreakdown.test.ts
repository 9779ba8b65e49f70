// The benchmark's no-op breakdown reads the engine's gRPC debug log (PULUMI_DEBUG_GRPC); these
// lines have the shape pulumi v3.259 writes (client calls with start and duration, server calls
// with only their completion time).
import { expect } from "chai";
import { summarise, typeOfUrn } from "../tools/bench/noopBreakdown";

const T0 = Date.parse("2026-12-06T21:00:00.000Z");
const at = (ms: number) => new Date(T0 + ms).toISOString();
const line = (o: object) => JSON.stringify(o);
const client = (method: string, startMs: number, durationMs: number, request: object = {}, kind = "resource") => [
    line({ method: `/pulumirpc.${method}`, request, metadata: { kind, mode: "client" }, progress: "request_started", timestamp: at(startMs) }),
    line({ method: `/pulumirpc.${method}`, request, metadata: { kind, mode: "client" }, progress: "response_completed", timestamp: at(startMs + durationMs), duration: durationMs * 1e6 }),
];
// The engine's server side logs no start time: Go's zero time, and a duration measured from it.
const server = (method: string, doneMs: number, request: object) => [
    line({ method: `/pulumirpc.ResourceMonitor/${method}`, request, metadata: { mode: "server" }, progress: "request_started", timestamp: "0001-01-01T00:00:00Z" }),
    line({ method: `/pulumirpc.ResourceMonitor/${method}`, request, metadata: { mode: "server" }, progress: "response_completed", timestamp: at(doneMs), duration: 9.2e18 }),
];
const DEPLOYMENT = "urn:pulumi:dev::the0-infra::the0:platform:Platform$the0:app:AppService$kubernetes:apps/v1:Deployment::the0-api";

describe("bench: the no-op breakdown from the engine's gRPC log", () => {
    const log = [
        ...client("LanguageRuntime/GetPluginInfo", 0, 1, {}, "language"),
        ...server("RegisterResource", 700, { type: "pulumi:pulumi:Stack", name: "the0-infra-dev" }),
        ...server("RegisterResource", 1800, { type: "the0:platform:Platform", name: "the0" }),
        ...client("ResourceProvider/Check", 1900, 4, { urn: DEPLOYMENT }),
        ...client("ResourceProvider/Diff", 1910, 6, { urn: DEPLOYMENT }),
        ...server("RegisterResource", 1920, { type: "kubernetes:apps/v1:Deployment", name: "the0-api" }),
        ...server("RegisterResourceOutputs", 1930, { urn: "urn:pulumi:dev::the0-infra::the0:platform:Platform::the0" }),
        ...client("LanguageRuntime/Run", 250, 1750, {}, "language"),
    ].join("\n");

    it("splits the run into phases from the log's own timestamps", () => {
        expect(summarise(log, 2300).phases).to.deep.equal({ toProgram: 250, toStack: 450, toFirstResource: 1100, registrations: 120, toExit: 380 });
    });

    it("sums the engine's calls to plugins by method and kind, and counts the program's calls without their broken durations", () => {
        const s = summarise(log, 2300);
        expect(s.pluginCalls.Check).to.deep.equal({ calls: 1, ms: 4 });
        expect(s.pluginCalls.Diff).to.deep.equal({ calls: 1, ms: 6 });
        expect(s.checkDiffByType).to.deep.equal({ "kubernetes:apps/v1:Deployment": { calls: 2, ms: 10 } });
        expect(s.programCalls).to.deep.equal({ RegisterResource: 3, RegisterResourceOutputs: 1 });
        expect(s.registeredByPackage).to.deep.equal({ pulumi: 1, the0: 1, kubernetes: 1 });
    });

    it("names a resource's kind from its URN, parents and all", () => {
        expect(typeOfUrn(DEPLOYMENT)).to.equal("kubernetes:apps/v1:Deployment");
        expect(typeOfUrn("urn:pulumi:dev::the0-infra::pulumi:pulumi:Stack::the0-infra-dev")).to.equal("pulumi:pulumi:Stack");
    });

    it("refuses a log without a program run", () => {
        expect(() => summarise(client("LanguageRuntime/GetPluginInfo", 0, 1, {}, "language").join("\n"), 10)).to.throw("no program run with resources");
    });
});
