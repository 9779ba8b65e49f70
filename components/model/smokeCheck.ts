// The post-deploy check's identity, kept as data beside the catalog: its component name and what it
// reaches, declared like a catalog entry's dependencies. The network graph opens its paths from
// this; components/smoke builds its Job.
import { Dependency } from "./catalog";

export const SMOKE_COMPONENT = "smoke";

/** What the checks reach: the api's HTTP port, NATS, object storage, the bot-controller's query port. */
export const SMOKE_DEPENDS_ON: readonly Dependency[] = [
    { app: "api", port: "http" },
    { data: "nats" },
    { data: "objectStorage" },
    { app: "botController", port: "query" },
];
