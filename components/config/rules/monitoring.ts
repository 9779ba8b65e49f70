// Rules for monitoring: a namespace and a selector label the Prometheus can use, the cluster's own
// monitoring stack (the cluster-addons project installs it), pinned exporter images, and sidecar resources.
import { METRICS_SOURCES } from "../../model/metricsSources";
import { measuredStores } from "../facts";
import { Problems } from "../problems";
import { PlatformConfig } from "../types";
import { isDnsLabel } from "../validate";
import { checkImageRef, checkResources } from "./common";

/** A label key (optional DNS-subdomain prefix, then a name) and value, as Kubernetes accepts them. */
const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

export function checkMonitoring(c: PlatformConfig, problems: Problems): void {
    const m = c.monitoring;
    if (!m.enabled) return;
    if (!isDnsLabel(m.namespace)) problems.add("monitoring.namespace", m.namespace, "must be the namespace the Prometheus runs in (a DNS label)");
    if (m.namespace === c.kubernetes.namespace) problems.add("monitoring.namespace", m.namespace, "must not be the0's own namespace: the monitoring stack runs beside it");
    const [key, value, ...rest] = m.selectorLabel.split("=");
    const name = key?.includes("/") ? key.slice(key.indexOf("/") + 1) : key;
    if (rest.length > 0 || value === undefined || !name || !LABEL_NAME.test(name) || !LABEL_VALUE.test(value)) {
        problems.add("monitoring.selectorLabel", m.selectorLabel, "must be one label as key=value, the one the Prometheus selects monitors and rules by (kube-prometheus-stack: release=<its release name>)");
    }
    if (m.stack === "install") {
        problems.add("monitoring.stack", m.stack, "install is no longer done by a platform stack: kube-prometheus-stack is cluster-wide (CRDs, one Prometheus per cluster); install it once with the cluster-addons project (its monitoring.enabled) and set monitoring.stack existing");
    }
    // The exporter images of the stores that are measured: the same fact the data tier adds sidecars by.
    for (const key of measuredStores(c)) {
        const image = METRICS_SOURCES[key].exporter;
        if (image) checkImageRef(problems, `monitoring.images.${image}`, m.images[image], c.profile);
    }
    checkResources(problems, "monitoring.resources", m.resources);
}
