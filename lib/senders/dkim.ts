import "server-only";
import { ApiError } from "@/lib/api/errors";
import { decryptSecret, encryptSecret } from "@/lib/crypto/secret-box";
import { db } from "@/lib/db/client";
import type { Sender } from "@/lib/generated/prisma/client";
import { generateDkimKey, publicKeyOf, type DkimKey } from "@/lib/mail/dkim";
import { getSenderOrThrow, toSenderView, type SenderView } from "@/lib/senders/senders";
import type { SenderDkimBody } from "@/lib/validation/senders";
import { dkimKeyContext } from "@/lib/senders/dkim-context";

// A sender's DKIM key: generated here or imported, stored like a password (an AES-256-GCM envelope bound to
// the sender), never returned; the view shows the DNS record to publish. The domain is the From address's
// domain, so the signature aligns with it (DMARC).

export async function setSenderDkim(
  userId: string,
  senderId: string,
  body: SenderDkimBody,
): Promise<SenderView> {
  const sender = await getSenderOrThrow(userId, senderId);
  if (sender.kind === "sandbox") {
    throw new ApiError(
      "validation_failed",
      "The built-in test mailbox does not sign: nothing leaves the machine.",
    );
  }
  const domain = sender.fromEmail.split("@")[1]!.toLowerCase();
  let privateKeyPem: string;
  let publicKey: string;
  if (body.privateKey) {
    try {
      privateKeyPem = body.privateKey;
      publicKey = publicKeyOf(privateKeyPem);
    } catch (error) {
      throw new ApiError("validation_failed", "That private key cannot sign.", {
        fields: {
          privateKey: [
            (error as Error).message.startsWith("A DKIM key")
              ? (error as Error).message
              : "Paste an RSA private key in PEM form.",
          ],
        },
      });
    }
  } else {
    ({ privateKeyPem, publicKey } = generateDkimKey());
  }
  const updated = await db.sender.update({
    where: { id: sender.id },
    data: {
      dkimDomain: domain,
      dkimSelector: body.selector,
      dkimKeyCipher: encryptSecret(privateKeyPem, dkimKeyContext(sender.id)),
      dkimPublicKey: publicKey,
    },
  });
  return toSenderView(updated);
}

export async function removeSenderDkim(userId: string, senderId: string): Promise<SenderView> {
  const sender = await getSenderOrThrow(userId, senderId);
  const updated = await db.sender.update({
    where: { id: sender.id },
    data: { dkimDomain: null, dkimSelector: null, dkimKeyCipher: null, dkimPublicKey: null },
  });
  return toSenderView(updated);
}

/** The key delivery signs a sender's messages with, or null when it has none. */
export function dkimKeyOf(
  sender: Pick<Sender, "id" | "dkimDomain" | "dkimSelector" | "dkimKeyCipher">,
): DkimKey | null {
  if (!sender.dkimDomain || !sender.dkimSelector || !sender.dkimKeyCipher) return null;
  return {
    domain: sender.dkimDomain,
    selector: sender.dkimSelector,
    privateKeyPem: decryptSecret(sender.dkimKeyCipher, dkimKeyContext(sender.id)),
  };
}
