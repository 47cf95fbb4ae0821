// Browser side of the pre-send check: the server's check (local rules + AI) when online; the local rules alone
// when offline or when the check itself fails — it must never stand between the user and Send.
import { localFindings } from "@/lib/ai/local-checks";
import { fetchJson } from "@/lib/api/client";
import type { Finding } from "@/lib/validation/ai";

export async function runPreSendCheck(input: {
  subject: string;
  body: string;
  attachments: number;
  /** The message being replied to or forwarded: the check looks for its questions left unanswered. */
  quoted?: string;
}): Promise<Finding[]> {
  if (!navigator.onLine) return localFindings(input);
  try {
    return (await fetchJson<{ findings: Finding[] }>("/api/ai/check", { method: "POST", json: input }))
      .findings;
  } catch {
    return localFindings(input);
  }
}
