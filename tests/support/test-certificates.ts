// Certificates made for one test run with the openssl CLI: a private CA and a server certificate it signed for
// 127.0.0.1, and a self-signed one nobody vouches for.
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export const OPENSSL = "/usr/bin/openssl";

export type TestCertificates = {
  caFile: string;
  serverKey: string;
  serverCert: string;
  selfKey: string;
  selfCert: string;
};

/**
 * A private CA with a server certificate for 127.0.0.1 (submission, smtps), and a self-signed one no CA vouches
 * for (the untrusted port). In a temp directory of their own unless one is given.
 */
export async function makeTestCertificates(
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "securevault-tls-")),
): Promise<TestCertificates> {
  fs.mkdirSync(dir, { recursive: true });
  const f = (name: string) => path.join(dir, name);
  fs.writeFileSync(
    f("openssl.cnf"),
    [
      "[req]",
      "distinguished_name = dn",
      "prompt = no",
      "[dn]",
      "CN = SecureVault test",
      "[ca]",
      "basicConstraints = critical,CA:TRUE",
      "keyUsage = critical,keyCertSign,cRLSign",
      "subjectKeyIdentifier = hash",
      "[server]",
      "basicConstraints = critical,CA:FALSE",
      "keyUsage = critical,digitalSignature",
      "extendedKeyUsage = serverAuth",
      "subjectAltName = IP:127.0.0.1,DNS:localhost",
      "",
    ].join("\n"),
  );
  const key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  const cnf = ["-config", f("openssl.cnf")];
  await run(
    OPENSSL,
    ["req", "-x509", ...cnf, "-extensions", "ca", ...key, "-keyout", f("ca.key")].concat([
      "-out",
      f("ca.pem"),
      "-days",
      "2",
      "-subj",
      "/CN=SecureVault test CA",
    ]),
  );
  await run(
    OPENSSL,
    ["req", "-new", ...cnf, ...key, "-keyout", f("server.key"), "-out", f("server.csr")].concat([
      "-subj",
      "/CN=127.0.0.1",
    ]),
  );
  await run(
    OPENSSL,
    ["x509", "-req", "-in", f("server.csr"), "-CA", f("ca.pem"), "-CAkey", f("ca.key")]
      .concat(["-CAcreateserial", "-out", f("server.pem"), "-days", "2", "-extfile", f("openssl.cnf")])
      .concat(["-extensions", "server"]),
  );
  await run(
    OPENSSL,
    ["req", "-x509", ...cnf, "-extensions", "server", ...key, "-keyout", f("self.key")].concat([
      "-out",
      f("self.pem"),
      "-days",
      "2",
      "-subj",
      "/CN=127.0.0.1",
    ]),
  );
  return {
    caFile: f("ca.pem"),
    serverKey: f("server.key"),
    serverCert: f("server.pem"),
    selfKey: f("self.key"),
    selfCert: f("self.pem"),
  };
}
