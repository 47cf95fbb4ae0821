import "server-only";
import { randomUUID } from "node:crypto";
import { encryptSecret, senderSecretContext } from "@/lib/crypto/secret-box";
import type { Sender } from "@/lib/generated/prisma/client";
import { secretTargetOf } from "@/lib/senders/secret-target";
import { getSenderOrThrow, newSenderServer, updatedSenderServer } from "@/lib/senders/senders";
import { runHandshake, type ConnectionTestResult } from "@/lib/senders/test-connection";
import type { CreateSenderBody, UpdateSenderBody } from "@/lib/validation/senders";

// "Test before save": the same handshake as Test connection, run on settings that are not stored yet, so the
// sender dialog can say what is wrong before a broken sender is saved. Nothing is written; the password lives
// only in the unsaved row built here, encrypted as a stored one would be.

/** Tests the settings of a sender about to be added. */
export async function checkNewSender(userId: string, input: CreateSenderBody): Promise<ConnectionTestResult> {
  const server = newSenderServer(input);
  const id = `unsaved-${randomUUID()}`;
  const now = new Date();
  return runHandshake({
    id,
    userId,
    kind: "smtp",
    preset: input.preset,
    label: "",
    fromName: input.fromName ?? null,
    fromEmail: input.fromEmail,
    ...server,
    secretTarget: secretTargetOf(server),
    secretCipher: encryptSecret(input.password, senderSecretContext(id)),
    lastTestedAt: null,
    lastTestOk: null,
    lastTestMessage: null,
    maxConnections: null,
    maxPerSecond: null,
    maxPerDay: null,
    authFailedAt: null,
    authFailedReason: null,
    oauthProvider: null,
    smtpSizeLimit: null,
    signatureHtml: null,
    dkimDomain: null,
    dkimSelector: null,
    dkimKeyCipher: null,
    dkimPublicKey: null,
    createdAt: now,
    updatedAt: now,
  } satisfies Sender);
}

/** Tests one of the user's senders as it would be after the given changes; 404 when it is not theirs. */
export async function checkSenderChanges(
  userId: string,
  id: string,
  input: UpdateSenderBody,
): Promise<ConnectionTestResult> {
  const existing = await getSenderOrThrow(userId, id);
  if (existing.kind === "sandbox") return runHandshake(existing);
  const server = updatedSenderServer(existing, input);
  return runHandshake({
    ...existing,
    fromEmail: input.fromEmail ?? existing.fromEmail,
    ...server,
    ...(input.password
      ? {
          secretCipher: encryptSecret(input.password, senderSecretContext(existing.id)),
          secretTarget: secretTargetOf(server),
        }
      : {}),
  });
}
