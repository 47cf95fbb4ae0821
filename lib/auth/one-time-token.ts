import "server-only";
import { createHash, randomBytes } from "node:crypto";

// Links that grant something once (a password reset, an invitation) carry a random token; only its sha256 is
// stored, so a copy of the database cannot be turned into working links.

/** A new token for a link (256 random bits, base64url) and the hash to store. */
export function newOneTimeToken(): { token: string; tokenHash: string } {
  const token = randomBytes(32).toString("base64url");
  return { token, tokenHash: hashOneTimeToken(token) };
}

export function hashOneTimeToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}
