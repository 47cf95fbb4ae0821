import { createCipheriv, randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { getKeyRing } from "@/lib/crypto/key-ring";
import { addNewestKey, pruneUnusedKeys, reencryptAll } from "@/lib/crypto/rotate";
import {
  decryptSecret,
  encryptSecret,
  envelopeKeyId,
  senderSecretContext as ctx,
  totpSecretContext,
} from "@/lib/crypto/secret-box";
import { db } from "@/lib/db/client";
import { createSender } from "@/lib/senders/senders";
import { signUpUser, type TestUser } from "@/tests/support/api";

let user: TestUser;
const passwords = Array.from({ length: 7 }, (_, i) => `app-password-${i}`);

beforeAll(async () => {
  user = await signUpUser();
  for (const password of passwords) {
    await createSender(user.id, { preset: "gmail", fromEmail: user.email, password });
  }
});

async function storedSecrets() {
  const rows = await db.sender.findMany({
    where: { userId: user.id, secretCipher: { not: null } },
    orderBy: { id: "asc" },
  });
  return rows.map((r) => ({ id: r.id, envelope: r.secretCipher! }));
}

describe("encryption key rotation", () => {
  it("keeps old-key envelopes readable during rotation and re-encrypts all of them under the new key", async () => {
    const oldKeyId = getKeyRing({ reload: true }).current.id;
    const before = await storedSecrets();
    expect(before.every((s) => envelopeKeyId(s.envelope) === oldKeyId)).toBe(true);

    const newKeyId = addNewestKey();
    expect(newKeyId).not.toBe(oldKeyId);
    // The ring now encrypts with the new key and still decrypts the old envelopes.
    expect(envelopeKeyId(encryptSecret("x", ctx("any")))).toBe(newKeyId);
    for (const [i, s] of before.entries()) expect(decryptSecret(s.envelope, ctx(s.id))).toBe(passwords[i]);

    // Batches of 3; after the first batch, read everything mid-rotation and edit one not yet rotated row.
    let batches = 0;
    const edited = before.at(-1)!;
    const report = await reencryptAll({
      batchSize: 3,
      onBatch: async () => {
        batches += 1;
        if (batches !== 1) return;
        const mid = await storedSecrets();
        expect(mid.some((s) => envelopeKeyId(s.envelope) === oldKeyId)).toBe(true);
        expect(mid.some((s) => envelopeKeyId(s.envelope) === newKeyId)).toBe(true);
        for (const [i, s] of mid.entries()) expect(decryptSecret(s.envelope, ctx(s.id))).toBe(passwords[i]);
        // A concurrent edit made with a stale (old) envelope value in hand would be lost if rotation wrote blindly.
        await db.sender.update({
          where: { id: edited.id },
          data: { secretCipher: encryptSecret("edited", ctx(edited.id)) },
        });
      },
    });

    expect(batches).toBeGreaterThanOrEqual(3);
    expect(report.keyId).toBe(newKeyId);
    expect(report.remainingOnOldKeys).toBe(0);
    const after = await storedSecrets();
    expect(after.every((s) => envelopeKeyId(s.envelope) === newKeyId)).toBe(true);
    expect(after.map((s) => decryptSecret(s.envelope, ctx(s.id)))).toEqual([
      ...passwords.slice(0, -1),
      "edited",
    ]);
  });

  it("never overwrites an envelope that changed between read and write", async () => {
    const [target] = await storedSecrets();
    // Put one back under an old key, then change it behind the rotation's back before its write.
    const oldKey = getKeyRing({ reload: true }).all[1]!;
    const stale = encryptSecret("stale", ctx(target!.id), oldKey);
    await db.sender.update({ where: { id: target!.id }, data: { secretCipher: stale } });
    const { encryptedColumns } = await import("@/lib/crypto/rotate");
    const column = encryptedColumns[0]!;
    await db.sender.update({
      where: { id: target!.id },
      data: { secretCipher: encryptSecret("newer", ctx(target!.id)) },
    });
    expect(await column.replaceIfUnchanged(target!.id, stale, encryptSecret("stale", ctx(target!.id)))).toBe(
      false,
    );
    const row = await db.sender.findUniqueOrThrow({ where: { id: target!.id } });
    expect(decryptSecret(row.secretCipher!, ctx(row.id))).toBe("newer");
  });

  it("prunes an old key only once nothing uses it", async () => {
    const ring = getKeyRing({ reload: true });
    const oldKey = ring.all[1]!;
    const [target] = await storedSecrets();
    await db.sender.update({
      where: { id: target!.id },
      data: { secretCipher: encryptSecret("pinned", ctx(target!.id), oldKey) },
    });
    expect(await pruneUnusedKeys()).toEqual([]);
    await reencryptAll();
    expect(await pruneUnusedKeys()).toEqual([oldKey.id]);
    expect(getKeyRing({ reload: true }).all.map((k) => k.id)).toEqual([ring.current.id]);
    for (const s of await storedSecrets()) expect(() => decryptSecret(s.envelope, ctx(s.id))).not.toThrow();
  });

  it("reads a v1 envelope (no associated data) and rewrites it as v2, bound to its sender", async () => {
    const [target, other] = await storedSecrets();
    const key = getKeyRing({ reload: true }).current;
    const v1 = legacyEnvelope("from before v2", key);
    await db.sender.update({ where: { id: target!.id }, data: { secretCipher: v1 } });
    expect(decryptSecret(v1, ctx(target!.id))).toBe("from before v2");
    const report = await reencryptAll();
    expect(report.reencrypted).toBe(1);
    const row = await db.sender.findUniqueOrThrow({ where: { id: target!.id } });
    expect(row.secretCipher).toMatch(/^v2\./);
    expect(decryptSecret(row.secretCipher!, ctx(target!.id))).toBe("from before v2");
    expect(() => decryptSecret(row.secretCipher!, ctx(other!.id))).toThrow();
  });
});

/** An envelope as SecureVault wrote it before associated data (v1): AES-256-GCM, no AAD. */
function legacyEnvelope(plaintext: string, key: { id: string; bytes: Buffer }): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key.bytes, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return ["v1", key.id, iv, cipher.getAuthTag(), ciphertext]
    .map((p) => (typeof p === "string" ? p : p.toString("base64url")))
    .join(".");
}
describe("two-factor secrets", () => {
  it("are rotated with the rest, so pruning an old key never breaks anyone's sign-in", async () => {
    const holder = await signUpUser();
    const oldKey = getKeyRing({ reload: true }).current;
    const envelope = encryptSecret("JBSWY3DPEHPK3PXP", totpSecretContext(holder.id), oldKey);
    await db.user.update({
      where: { id: holder.id },
      data: { totpSecretCipher: envelope, totpEnabledAt: new Date() },
    });
    const newKeyId = addNewestKey();
    const report = await reencryptAll();
    expect(report.remainingOnOldKeys).toBe(0);
    const stored = await db.user.findUniqueOrThrow({ where: { id: holder.id } });
    expect(envelopeKeyId(stored.totpSecretCipher!)).toBe(newKeyId);
    expect(decryptSecret(stored.totpSecretCipher!, totpSecretContext(holder.id))).toBe("JBSWY3DPEHPK3PXP");
  });
});
