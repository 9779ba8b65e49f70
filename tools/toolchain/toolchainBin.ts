// Where the offline toolchain's binaries are (tools/offline-k8s builds them; env.sh exports THE0_TOOLCHAIN_BIN).
import { join } from "path";

/** A binary from the offline toolchain cache (tools/offline-k8s/offline-k8s.sh build), or fail with what to run. */
export function toolchainBin(name: string): string {
    const dir = process.env.THE0_TOOLCHAIN_BIN;
    if (!dir) throw new Error("THE0_TOOLCHAIN_BIN is not set: run the suite with `npm run test:contract`");
    return join(dir, name);
}
