import type { Metadata } from "next";
import { ComposeForm } from "@/components/compose/compose-form";
import { requirePageUser } from "@/lib/auth/session";
import { listSenders } from "@/lib/senders/senders";

export const metadata: Metadata = { title: "Compose" };

export default async function ComposePage() {
  const user = await requirePageUser();
  const senders = (await listSenders(user.id)).map(({ id, label, fromEmail, fromName, signInFailed }) => ({
    id,
    label,
    fromEmail,
    fromName,
    signInFailed: signInFailed !== null,
  }));
  return <ComposeForm senders={senders} />;
}
