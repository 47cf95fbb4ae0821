// What a delivery notification says. The sender should learn what happened at a glance:
// "Delivered to alice@example.com" over "Re: contract", or "Not delivered: Mailbox does not exist"; when some
// recipients were refused, "Delivered to 1 of 2 — bob@example.com refused: Mailbox does not exist".

export type NotifiedOutcome = {
  kind: "delivered" | "failed" | "retrying" | "sign-in-failed";
  subject: string;
  accepted: string[];
  reason: string | null;
  attempts: number;
  /** Recipients of the message, when some were refused. */
  total?: number;
  /** Recipients refused for good, with the server's words (or ours). */
  refused?: { address: string; reason: string | null }[];
  senderName?: string;
  /** sign-in-failed: the sender is connected with Google or Microsoft, and reconnecting it is the fix. */
  reconnect?: boolean;
};

export type NotificationText = { title: string; body: string };

export function describeOutcome(outcome: NotifiedOutcome): NotificationText {
  const subject = outcome.subject.trim() || "(no subject)";
  const refused = outcome.refused ?? [];
  switch (outcome.kind) {
    case "delivered":
      if (refused.length) {
        const total = outcome.total ?? outcome.accepted.length + refused.length;
        return {
          title: `Delivered to ${outcome.accepted.length} of ${total} — ${refusedText(refused)}`,
          body: subject,
        };
      }
      return {
        title: deliveredTitle(outcome.accepted),
        // A partial delivery still says who did not get it.
        body: outcome.reason ? `${subject} · ${outcome.reason}` : subject,
      };
    case "failed":
      // Every recipient refused: the addresses, and the server's words.
      if (refused.length) {
        return {
          title: `Not delivered to ${refused.map((r) => r.address).join(", ")}: ${shortReason(refused[0]!.reason)}`,
          body: subject,
        };
      }
      return { title: `Not delivered: ${shortReason(outcome.reason)}`, body: subject };
    case "retrying":
      return {
        title: `Still trying to deliver (${outcome.attempts} attempts so far)`,
        body: `${subject} · ${shortReason(outcome.reason)}`,
      };
    case "sign-in-failed":
      if (outcome.reconnect) {
        return {
          title: `${outcome.senderName ?? "Your sender"} was disconnected — reconnect it in Settings`,
          body: `${subject} and the sender's other messages wait until then.`,
        };
      }
      return {
        title: `Sign-in to ${outcome.senderName ?? "your sender"} failed — fix the password in Settings`,
        body: `${subject} and the sender's other messages wait until then.`,
      };
  }
}

/** "b@x refused: Mailbox does not exist"; several: "b@x, c@y refused: Mailbox does not exist". */
function refusedText(refused: { address: string; reason: string | null }[]): string {
  const reason = refused[0]!.reason;
  return `${refused.map((r) => r.address).join(", ")} refused${reason ? `: ${shortReason(reason)}` : ""}`;
}

function deliveredTitle(accepted: string[]): string {
  if (accepted.length === 0) return "Delivered";
  const others = accepted.length - 1;
  return `Delivered to ${accepted[0]}${others ? ` and ${others} other${others === 1 ? "" : "s"}` : ""}`;
}

/**
 * The part of a failure reason a person needs on a lock screen. When the mail server gave its own words
 * (lib/mail/smtp-errors.ts quotes them as `The server said: "550 5.1.1 Mailbox does not exist"`), those words
 * without the reply codes; otherwise the reason's first sentence.
 */
export function shortReason(reason: string | null): string {
  if (!reason?.trim()) return "the mail server refused it";
  const said = /The server said: "(.+)"\s*$/s.exec(reason)?.[1];
  if (said) {
    const words = said
      .replace(/^\d{3}[ -]/, "")
      .replace(/^\d\.\d{1,3}\.\d{1,3}\s+/, "")
      .trim();
    if (words) return words;
  }
  const firstSentence = reason.trim().split(/(?<=[.!?])\s+/)[0]!;
  return firstSentence.replace(/\.$/, "");
}

/** "Campaign “Spring news” finished" over "1,998 sent · 2 failed · 5 not sent". */
export function describeCampaignFinished(campaign: {
  name: string;
  counts: { sent: number; failed: number; skipped: number; cancelled: number };
}): NotificationText {
  const { sent, failed, skipped, cancelled } = campaign.counts;
  const count = (n: number) => n.toLocaleString("en-US");
  const parts = [`${count(sent)} sent`];
  if (failed) parts.push(`${count(failed)} failed`);
  if (skipped + cancelled) parts.push(`${count(skipped + cancelled)} not sent`);
  return { title: `Campaign “${campaign.name.trim() || "Untitled"}” finished`, body: parts.join(" · ") };
}
