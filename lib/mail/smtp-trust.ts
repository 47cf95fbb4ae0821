// The certificate authorities outgoing SMTP over TLS trusts: Node's bundled roots, plus an admin's own CA
// bundle (SMTP_CA_FILE) for a relay with a private certificate. Passing `ca` to tls.connect replaces the
// default roots, so the bundle is added to them, not put in their place.

import fs from "node:fs";
import tls from "node:tls";

const cache = new Map<string, string[]>();

/** The CA list for tls.connect, or undefined to keep Node's defaults when no extra bundle is configured. */
export function smtpTrustedCas(caFile: string | undefined): string[] | undefined {
  if (!caFile) return undefined;
  let cas = cache.get(caFile);
  if (!cas) {
    let pem: string;
    try {
      pem = fs.readFileSync(caFile, "utf8");
    } catch (error) {
      throw new Error(`SMTP_CA_FILE ${caFile} cannot be read: ${(error as Error).message}`, { cause: error });
    }
    if (!pem.includes("-----BEGIN CERTIFICATE-----")) {
      throw new Error(`SMTP_CA_FILE ${caFile} holds no PEM certificate`);
    }
    cas = [...tls.rootCertificates, pem];
    cache.set(caFile, cas);
  }
  return cas;
}
