import "server-only";
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { getKeyRing, type Key } from "@/lib/crypto/key-ring";

// Envelope: "v1.<keyId>.<iv>.<tag>.<ciphertext>" (base64url parts). The key id says which key of the ring
// decrypts it, so a rotation can re-encrypt under a new key while old envelopes stay readable.
const VERSION = "v1";

/** Encrypts a secret (an SMTP password) with AES-256-GCM under the newest key of the ring. */
export function encryptSecret(plaintext: string, key: Key = getKeyRing().current): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key.bytes, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [
    VERSION,
    key.id,
    iv.toString("base64url"),
    tag.toString("base64url"),
    ciphertext.toString("base64url"),
  ].join(".");
}

/** The id of the key an envelope was made with (null when it is not an envelope). */
export function envelopeKeyId(envelope: string): string | null {
  const [version, keyId] = envelope.split(".");
  return version === VERSION && keyId ? keyId : null;
}

/** Decrypts an envelope made by encryptSecret; throws when it was tampered with or the key is unknown. */
export function decryptSecret(envelope: string, keys?: Key[]): string {
  const [version, keyId, iv, tag, ciphertext] = envelope.split(".");
  if (version !== VERSION || !keyId || !iv || !tag || ciphertext === undefined) {
    throw new Error("Unrecognised secret envelope");
  }
  const key = findKey(keyId, keys);
  if (!key) throw new Error(`No encryption key with id ${keyId} is configured`);
  const decipher = createDecipheriv("aes-256-gcm", key.bytes, Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString(
    "utf8",
  );
}

function findKey(keyId: string, keys: Key[] | undefined): Key | undefined {
  if (keys) return keys.find((k) => k.id === keyId);
  // A key this process has not seen yet was added by a rotation elsewhere: read the ring again once.
  return (
    getKeyRing().all.find((k) => k.id === keyId) ??
    getKeyRing({ reload: true }).all.find((k) => k.id === keyId)
  );
}
