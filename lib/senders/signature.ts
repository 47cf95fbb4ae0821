import "server-only";
import { db } from "@/lib/db/client";
import { sanitizeEmailHtml } from "@/lib/mail/sanitize";
import { getSenderOrThrow } from "@/lib/senders/senders";

/**
 * Stores a sender's signature, sanitized as mail is (it goes into every new message from the sender); an empty
 * one (no text and no image) removes it. 404 when the sender is not the user's.
 */
export async function setSenderSignature(
  userId: string,
  senderId: string,
  html: string,
): Promise<string | null> {
  const sender = await getSenderOrThrow(userId, senderId);
  const clean = sanitizeEmailHtml(html).trim();
  const empty = !/<img\b/i.test(clean) && clean.replace(/<[^>]*>|&nbsp;|\s/g, "") === "";
  const signatureHtml = empty ? null : clean;
  await db.sender.update({ where: { id: sender.id }, data: { signatureHtml } });
  return signatureHtml;
}
