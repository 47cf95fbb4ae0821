import "server-only";
import { createHash } from "node:crypto";
import { readEncryptionKeys } from "@/lib/crypto/instance-secrets";

export type Key = { id: string; bytes: Buffer };
export type KeyRing = { current: Key; all: Key[] };

// A rotation (`npm run keys:rotate`, another process) rewrites the key file while servers run: re-reading it
// now and then lets them encrypt with the new key soon after, and an unknown key id forces a re-read at once.
const REFRESH_MS = 30_000;
let cached: { ring: KeyRing; loadedAt: number } | undefined;

export function keyFromBase64(base64: string): Key {
  const bytes = Buffer.from(base64, "base64");
  if (bytes.length !== 32) throw new Error("Encryption keys must decode to 32 bytes");
  return { id: keyIdOf(bytes), bytes };
}

/** The key id in envelopes: a short hash, so the key itself never appears next to what it protects. */
export function keyIdOf(bytes: Buffer): string {
  return createHash("sha256").update(bytes).digest("hex").slice(0, 8);
}

export function getKeyRing({ reload = false }: { reload?: boolean } = {}): KeyRing {
  const now = Date.now();
  if (!cached || reload || now - cached.loadedAt > REFRESH_MS) {
    const all = readEncryptionKeys().map(keyFromBase64);
    cached = { ring: { current: all[0]!, all }, loadedAt: now };
  }
  return cached.ring;
}
