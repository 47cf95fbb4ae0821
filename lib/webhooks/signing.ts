import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

// Standard Webhooks (https://www.standardwebhooks.com): the signed content is "<webhook-id>.<webhook-timestamp>.<body>",
// HMAC-SHA256 with the base64-decoded part of a "whsec_" secret, sent as "v1,<base64>"; during a rotation one
// signature per secret, space-separated, so a receiver holding either secret accepts the request.

export const SECRET_PREFIX = "whsec_";

export function generateWebhookSecret(): string {
  return SECRET_PREFIX + randomBytes(24).toString("base64");
}

export function signatureFor(secret: string, id: string, timestampSeconds: number, body: string): string {
  const key = Buffer.from(
    secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret,
    "base64",
  );
  const mac = createHmac("sha256", key).update(`${id}.${timestampSeconds}.${body}`).digest("base64");
  return `v1,${mac}`;
}

/** The three headers of a signed request; several secrets give several signatures. */
export function signedHeaders(
  secrets: string[],
  id: string,
  timestampSeconds: number,
  body: string,
): Record<string, string> {
  return {
    "webhook-id": id,
    "webhook-timestamp": String(timestampSeconds),
    "webhook-signature": secrets.map((s) => signatureFor(s, id, timestampSeconds, body)).join(" "),
  };
}

/** Checks a request's signature header against a secret (the receiving side, as in the README example). */
export function hasValidSignature(
  secret: string,
  id: string,
  timestamp: string,
  body: string,
  header: string,
) {
  const expected = Buffer.from(signatureFor(secret, id, Number(timestamp), body));
  return header.split(" ").some((candidate) => {
    const given = Buffer.from(candidate);
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
