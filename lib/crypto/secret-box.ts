import "server-only";
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { getInstanceSecrets } from "@/lib/crypto/instance-secrets";

// Envelope: "v1.<keyId>.<iv>.<tag>.<ciphertext>" (base64url parts). The key id lets a later rotation
// re-encrypt under a new key while old envelopes stay readable.
const VERSION = "v1";

type Key = { id: string; bytes: Buffer };

function currentKey(): Key {
  const bytes = Buffer.from(getInstanceSecrets().encryptionKey, "base64");
  if (bytes.length !== 32) throw new Error("ENCRYPTION_KEY must decode to 32 bytes");
  return { id: createHash("sha256").update(bytes).digest("hex").slice(0, 8), bytes };
}

/** Encrypts a secret (an SMTP password) with AES-256-GCM under the instance key. */
export function encryptSecret(plaintext: string, key: Key = currentKey()): string {
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

/** Decrypts an envelope made by encryptSecret; throws when it was tampered with or the key is unknown. */
export function decryptSecret(envelope: string, keys: Key[] = [currentKey()]): string {
  const [version, keyId, iv, tag, ciphertext] = envelope.split(".");
  if (version !== VERSION || !keyId || !iv || !tag || ciphertext === undefined) {
    throw new Error("Unrecognised secret envelope");
  }
  const key = keys.find((k) => k.id === keyId);
  if (!key) throw new Error(`No encryption key with id ${keyId} is configured`);
  const decipher = createDecipheriv("aes-256-gcm", key.bytes, Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString(
    "utf8",
  );
}
