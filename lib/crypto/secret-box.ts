import "server-only";
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { getKeyRing, type Key } from "@/lib/crypto/key-ring";

// Envelope: "v2.<keyId>.<iv>.<tag>.<ciphertext>" (base64url parts). The key id says which key of the ring
// decrypts it, so a rotation can re-encrypt under a new key while old envelopes stay readable. Since v2 the
// envelope is bound to the record it belongs to: the record's context ("sender:<id>:secret") is GCM's
// associated data, so an envelope copied into another record does not decrypt there. v1 envelopes (no
// associated data) are still read, and keys:rotate rewrites them as v2.
const VERSION = "v2";
const LEGACY_VERSION = "v1";
const TAG_BYTES = 16;

/** The associated data of a sender's SMTP password or token. */
export const senderSecretContext = (senderId: string) => `sender:${senderId}:secret`;
/** A user's two-factor secret; a pending setup shares it, since confirming moves the envelope as it is. */
export const totpSecretContext = (userId: string) => `user:${userId}:totp`;

/** Encrypts a secret (an SMTP password) with AES-256-GCM under the newest key, bound to its record's context. */
export function encryptSecret(plaintext: string, context: string, key: Key = getKeyRing().current): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key.bytes, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(context, "utf8"));
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
  return (version === VERSION || version === LEGACY_VERSION) && keyId ? keyId : null;
}

/** Is this envelope in today's format under the given key (nothing for a rotation to do)? */
export function isCurrentEnvelope(envelope: string, keyId: string): boolean {
  return envelope.startsWith(`${VERSION}.${keyId}.`);
}

/** The prefixes of every envelope made with a key, in any version (for counting them in the database). */
export function envelopePrefixes(keyId: string): string[] {
  return [`${VERSION}.${keyId}.`, `${LEGACY_VERSION}.${keyId}.`];
}

/**
 * Decrypts an envelope made by encryptSecret for the same context; throws when it was tampered with, belongs to
 * another record, or the key is unknown. The tag must be the full 16 bytes: a shortened tag is refused rather
 * than checked (GCM would otherwise accept a truncated one).
 */
export function decryptSecret(envelope: string, context: string, keys?: Key[]): string {
  const [version, keyId, iv, tag, ciphertext] = envelope.split(".");
  if (
    (version !== VERSION && version !== LEGACY_VERSION) ||
    !keyId ||
    !iv ||
    !tag ||
    ciphertext === undefined
  ) {
    throw new Error("Unrecognised secret envelope");
  }
  const tagBytes = Buffer.from(tag, "base64url");
  if (tagBytes.length !== TAG_BYTES) throw new Error("The secret envelope's tag is not 16 bytes");
  const key = findKey(keyId, keys);
  if (!key) throw new Error(`No encryption key with id ${keyId} is configured`);
  const decipher = createDecipheriv("aes-256-gcm", key.bytes, Buffer.from(iv, "base64url"), {
    authTagLength: TAG_BYTES,
  });
  if (version === VERSION) decipher.setAAD(Buffer.from(context, "utf8"));
  decipher.setAuthTag(tagBytes);
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
