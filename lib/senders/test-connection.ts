import "server-only";
import { db } from "@/lib/db/client";
import type { Sender } from "@/lib/generated/prisma/client";
import { describeSmtpError } from "@/lib/mail/smtp-errors";
import { verifySmtpSession } from "@/lib/mail/smtp-client";
import { smtpClientOptionsFor } from "@/lib/mail/transport";
import { getSenderOrThrow } from "@/lib/senders/senders";

export type ConnectionTestResult = { ok: boolean; message: string; testedAt: string };

/**
 * Connects, negotiates TLS and signs in exactly as sending would (the same client, the same AUTH rule, the
 * password only for the server it was entered for), then records and explains the result.
 */
export async function testSenderConnection(userId: string, senderId: string): Promise<ConnectionTestResult> {
  const sender = await getSenderOrThrow(userId, senderId);
  const result = await runHandshake(sender);
  await db.sender.update({
    where: { id: sender.id },
    data: { lastTestedAt: new Date(result.testedAt), lastTestOk: result.ok, lastTestMessage: result.message },
  });
  return result;
}

export async function runHandshake(sender: Sender): Promise<ConnectionTestResult> {
  const testedAt = new Date().toISOString();
  const where = sender.kind === "sandbox" ? "the built-in sandbox" : `${sender.host}:${sender.port}`;
  try {
    await verifySmtpSession(await smtpClientOptionsFor(sender));
    return { ok: true, message: `Connected to ${where} and signed in successfully.`, testedAt };
  } catch (error) {
    const failure = describeSmtpError(error, {
      host: sender.host ?? "the sandbox",
      port: sender.port ?? undefined,
    });
    return { ok: false, message: failure.message, testedAt };
  }
}
