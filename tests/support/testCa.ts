// A throwaway certificate authority for tests that run a local TLS server: a root, and certificates
// it signs for server hosts (with their subjectAltName) or for a client (mutual TLS).
import { execFileSync } from "child_process";
import { readFileSync, writeFileSync } from "fs";
import { join } from "path";

export interface Issued {
    cert: string;
    key: string;
}

export class TestCa {
    readonly cert: string;

    constructor(private readonly dir: string) {
        this.openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "2", "-subj", "/CN=the0 test root");
        this.cert = readFileSync(join(dir, "ca.crt"), "utf8");
    }

    /** A certificate for `name`: a server's DNS names or IP addresses in its subjectAltName, or a client's common name. */
    issue(name: string, altNames: string[] = []): Issued {
        const file = name.replace(/[^\w.-]/g, "_");
        this.openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", `${file}.key`, "-out", `${file}.csr`, "-subj", `/CN=${name}`);
        const args = ["x509", "-req", "-in", `${file}.csr`, "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", `${file}.crt`, "-days", "1"];
        if (altNames.length > 0) {
            writeFileSync(join(this.dir, `${file}.cnf`), `subjectAltName=${altNames.join(",")}\n`);
            args.push("-extfile", `${file}.cnf`);
        }
        this.openssl(...args);
        return { cert: readFileSync(join(this.dir, `${file}.crt`), "utf8"), key: readFileSync(join(this.dir, `${file}.key`), "utf8") };
    }

    private openssl(...args: string[]): void {
        execFileSync("openssl", args, { cwd: this.dir, stdio: "pipe" });
    }
}
