import "server-only";
import { db } from "@/lib/db/client";
import type { Sender } from "@/lib/generated/prisma/client";
import { clearSignInFailure } from "@/lib/delivery/sign-in-failures";
import { describeSmtpError } from "@/lib/mail/smtp-errors";
import { createTransport } from "@/lib/mail/transport";
import { getSenderOrThrow } from "@/lib/senders/senders";

export type ConnectionTestResult = { ok: boolean; message: string; testedAt: string };

/** Connects, negotiates TLS and signs in exactly as sending would, then records and explains the result. */
export async function testSenderConnection(userId: string, senderId: string): Promise<ConnectionTestResult> {
  const sender = await getSenderOrThrow(userId, senderId);
  const result = await runHandshake(sender);
  await db.sender.update({
    where: { id: sender.id },
    data: { lastTestedAt: new Date(result.testedAt), lastTestOk: result.ok, lastTestMessage: result.message },
  });
  // Signed in: whatever refused the sender's sign-in before is fixed, and its waiting messages go.
  if (result.ok) await clearSignInFailure(sender.id);
  return result;
}

export async function runHandshake(sender: Sender): Promise<ConnectionTestResult> {
  const testedAt = new Date().toISOString();
  const where = sender.kind === "sandbox" ? "the built-in sandbox" : `${sender.host}:${sender.port}`;
  let transport: Awaited<ReturnType<typeof createTransport>> | undefined;
  try {
    transport = await createTransport(sender);
    await transport.verify();
    return { ok: true, message: `Connected to ${where} and signed in successfully.`, testedAt };
  } catch (error) {
    const failure = describeSmtpError(error, {
      host: sender.host ?? "the sandbox",
      port: sender.port ?? undefined,
    });
    return { ok: false, message: failure.message, testedAt };
  } finally {
    transport?.close();
  }
}
