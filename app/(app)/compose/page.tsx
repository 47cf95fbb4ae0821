import type { Metadata } from "next";
import { ComposeForm } from "@/components/compose/compose-form";
import { aiReadsImages } from "@/lib/ai/attached-files-load";
import { aiConfigured } from "@/lib/ai/client";
import { requirePageUser } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { listSenders } from "@/lib/senders/senders";

export const metadata: Metadata = { title: "Compose" };

export default async function ComposePage() {
  const user = await requirePageUser();
  const senders = (await listSenders(user.id)).map(
    ({ id, label, fromEmail, fromName, signInFailed, connectedWith, messageSizeLimit, signatureHtml }) => ({
      id,
      label,
      fromEmail,
      fromName,
      signInFailed: signInFailed !== null,
      connected: connectedWith !== null,
      messageSizeLimit,
      signatureHtml,
    }),
  );
  return (
    <ComposeForm
      senders={senders}
      undoSendSeconds={user.undoSendSeconds ?? env.UNDO_SEND_SECONDS}
      aiConfigured={aiConfigured()}
      aiReadsImages={aiReadsImages()}
      isAdmin={user.isAdmin}
    />
  );
}
