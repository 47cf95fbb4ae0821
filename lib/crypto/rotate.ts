import "server-only";
import { randomBytes } from "node:crypto";
import { getKeyRing, keyFromBase64, type KeyRing } from "@/lib/crypto/key-ring";
import {
  decryptSecret,
  encryptSecret,
  envelopePrefixes,
  isCurrentEnvelope,
  senderSecretContext,
  totpSecretContext,
} from "@/lib/crypto/secret-box";
import { keysFromFile, readEncryptionKeys, writeEncryptionKeys } from "@/lib/crypto/instance-secrets";
import { db } from "@/lib/db/client";
import { accessTokenContext, refreshTokenContext } from "@/lib/oauth/tokens";
import { dkimKeyContext } from "@/lib/senders/dkim-context";

/**
 * Every column that holds a secret-box envelope. A new encrypted column gets an entry here and is rotated with
 * the rest. Each entry reads a batch of rows past a cursor and writes one row only if it still holds the
 * envelope that was read (compare-and-set), so an edit made during the rotation is never overwritten.
 */
type EncryptedColumn = {
  name: string;
  /** The associated data a row's envelope is bound to (lib/crypto/secret-box.ts). */
  context: (id: string) => string;
  readBatch: (afterId: string, take: number) => Promise<{ id: string; envelope: string }[]>;
  replaceIfUnchanged: (id: string, expected: string, next: string) => Promise<boolean>;
  countUsing: (keyIds: string[]) => Promise<number>;
};

export const encryptedColumns: EncryptedColumn[] = [
  {
    name: "Sender.secretCipher",
    context: senderSecretContext,
    async readBatch(afterId, take) {
      const rows = await db.sender.findMany({
        where: { id: { gt: afterId }, secretCipher: { not: null } },
        orderBy: { id: "asc" },
        take,
        select: { id: true, secretCipher: true },
      });
      return rows.map((r) => ({ id: r.id, envelope: r.secretCipher! }));
    },
    async replaceIfUnchanged(id, expected, next) {
      const { count } = await db.sender.updateMany({
        where: { id, secretCipher: expected },
        data: { secretCipher: next },
      });
      return count === 1;
    },
    countUsing(keyIds) {
      return db.sender.count({
        where: {
          OR: keyIds.flatMap(envelopePrefixes).map((prefix) => ({ secretCipher: { startsWith: prefix } })),
        },
      });
    },
  },
  {
    // Two-factor secrets (lib/auth/two-factor.ts). A setup still pending confirmation is short-lived and not
    // rotated: confirming it after its key was pruned fails, and the user starts the setup again.
    name: "User.totpSecretCipher",
    context: totpSecretContext,
    async readBatch(afterId, take) {
      const rows = await db.user.findMany({
        where: { id: { gt: afterId }, totpSecretCipher: { not: null } },
        orderBy: { id: "asc" },
        take,
        select: { id: true, totpSecretCipher: true },
      });
      return rows.map((r) => ({ id: r.id, envelope: r.totpSecretCipher! }));
    },
    async replaceIfUnchanged(id, expected, next) {
      const { count } = await db.user.updateMany({
        where: { id, totpSecretCipher: expected },
        data: { totpSecretCipher: next },
      });
      return count === 1;
    },
    countUsing(keyIds) {
      return db.user.count({
        where: {
          OR: keyIds
            .flatMap(envelopePrefixes)
            .map((prefix) => ({ totpSecretCipher: { startsWith: prefix } })),
        },
      });
    },
  },
  ...(["refreshTokenCipher", "accessTokenCipher"] as const).map(oauthTokenColumn),
  {
    // DKIM signing keys (lib/senders/dkim.ts).
    name: "Sender.dkimKeyCipher",
    context: dkimKeyContext,
    async readBatch(afterId, take) {
      const rows = await db.sender.findMany({
        where: { id: { gt: afterId }, dkimKeyCipher: { not: null } },
        orderBy: { id: "asc" },
        take,
        select: { id: true, dkimKeyCipher: true },
      });
      return rows.map((r) => ({ id: r.id, envelope: r.dkimKeyCipher! }));
    },
    async replaceIfUnchanged(id, expected, next) {
      const { count } = await db.sender.updateMany({
        where: { id, dkimKeyCipher: expected },
        data: { dkimKeyCipher: next },
      });
      return count === 1;
    },
    countUsing(keyIds) {
      return db.sender.count({
        where: {
          OR: keyIds.flatMap(envelopePrefixes).map((prefix) => ({ dkimKeyCipher: { startsWith: prefix } })),
        },
      });
    },
  },
];

export type RotationReport = {
  keyId: string;
  reencrypted: number;
  /** Rows changed by someone else while being rotated: left alone (their new value uses the ring's newest key). */
  skippedConcurrentEdits: number;
  /** Envelopes still under an older key after the pass (concurrent edits by processes that had not reloaded). */
  remainingOnOldKeys: number;
};

/**
 * Puts a freshly generated key at the front of the data-dir key ring, keeping the old ones for decryption.
 * With ENCRYPTION_KEYS / ENCRYPTION_KEY the admin adds the key to the environment instead.
 */
export function addNewestKey(): string {
  if (!keysFromFile()) {
    throw new Error(
      "Keys come from the environment: put a new key first in ENCRYPTION_KEYS (keeping the old ones), restart, then run keys:rotate again.",
    );
  }
  const fresh = randomBytes(32).toString("base64");
  writeEncryptionKeys([fresh, ...readEncryptionKeys()]);
  getKeyRing({ reload: true }); // this process encrypts with it at once; others within REFRESH_MS
  return keyFromBase64(fresh).id;
}

/**
 * Re-encrypts every envelope not under the ring's newest key in the current format, in batches, without
 * overwriting concurrent edits.
 */
export async function reencryptAll(
  { batchSize = 100, onBatch }: { batchSize?: number; onBatch?: () => Promise<void> } = {},
  ring: KeyRing = getKeyRing({ reload: true }),
): Promise<RotationReport> {
  const report: RotationReport = {
    keyId: ring.current.id,
    reencrypted: 0,
    skippedConcurrentEdits: 0,
    remainingOnOldKeys: 0,
  };
  for (const column of encryptedColumns) {
    let cursor = "";
    for (;;) {
      const batch = await column.readBatch(cursor, batchSize);
      if (batch.length === 0) break;
      for (const { id, envelope } of batch) {
        // Older keys and older formats alike: a v1 envelope under the current key gains its associated data.
        if (isCurrentEnvelope(envelope, ring.current.id)) continue;
        const context = column.context(id);
        const next = encryptSecret(decryptSecret(envelope, context, ring.all), context, ring.current);
        if (await column.replaceIfUnchanged(id, envelope, next)) report.reencrypted += 1;
        else report.skippedConcurrentEdits += 1;
      }
      cursor = batch.at(-1)!.id;
      await onBatch?.();
    }
    report.remainingOnOldKeys += await column.countUsing(oldKeyIds(ring));
  }
  return report;
}

/** Drops keys nothing is encrypted with any more (only from the data-dir ring); returns the dropped ids. */
export async function pruneUnusedKeys(ring: KeyRing = getKeyRing({ reload: true })): Promise<string[]> {
  if (!keysFromFile()) return [];
  const dropped: string[] = [];
  for (const key of ring.all.slice(1)) {
    let used = 0;
    for (const column of encryptedColumns) used += await column.countUsing([key.id]);
    if (used === 0) dropped.push(key.id);
  }
  if (dropped.length) {
    writeEncryptionKeys(readEncryptionKeys().filter((k) => !dropped.includes(keyFromBase64(k).id)));
    getKeyRing({ reload: true });
  }
  return dropped;
}

function oldKeyIds(ring: KeyRing): string[] {
  return ring.all.slice(1).map((k) => k.id);
}

/** An OAuth sender's token (lib/oauth/tokens.ts), bound to its sender like the password. */
function oauthTokenColumn(column: "refreshTokenCipher" | "accessTokenCipher"): EncryptedColumn {
  return {
    name: `OAuthGrant.${column}`,
    context: column === "refreshTokenCipher" ? refreshTokenContext : accessTokenContext,
    async readBatch(afterId, take) {
      const rows = await db.oAuthGrant.findMany({
        // The refresh token is always there; an access token may not be yet.
        where: {
          senderId: { gt: afterId },
          ...(column === "accessTokenCipher" ? { accessTokenCipher: { not: null } } : {}),
        },
        orderBy: { senderId: "asc" },
        take,
        select: { senderId: true, refreshTokenCipher: true, accessTokenCipher: true },
      });
      return rows.map((r) => ({ id: r.senderId, envelope: r[column]! }));
    },
    async replaceIfUnchanged(id, expected, next) {
      const { count } = await db.oAuthGrant.updateMany({
        where: { senderId: id, [column]: expected },
        data: { [column]: next },
      });
      return count === 1;
    },
    countUsing(keyIds) {
      return db.oAuthGrant.count({
        where: {
          OR: keyIds.flatMap(envelopePrefixes).map((prefix) => ({ [column]: { startsWith: prefix } })),
        },
      });
    },
  };
}
