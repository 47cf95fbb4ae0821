// Per-recipient delivery state. Each recipient of a message ends up accepted or refused; on the way it may be
// deferred (a 4xx reply: tried again, alone, with the same Message-ID) or unknown (the message went out but no
// final reply came: tried again, because the server may not have kept it). The message's status follows from
// its recipients (messageStatusOf).
//
// Storage keeps the common case free: a message every recipient accepted at the first attempt stores no
// outcomes (null), only its status "sent". Outcomes are written once some recipient was not accepted, and then
// they list every recipient. Pure functions, shared by the worker, the API views, the timeline and the pages.

export type RecipientState = "accepted" | "deferred" | "refused" | "unknown";

/** A server reply split into its parts: "550 5.1.1 Mailbox does not exist". */
export type SmtpReplyParts = { code: number; enhanced: string | null; text: string };

/** One recipient's latest outcome, as stored in Message.recipientOutcomes. */
export type RecipientOutcome = {
  address: string;
  state: RecipientState;
  /** The server's reply for this recipient, when it gave one. */
  reply?: SmtpReplyParts;
  /** Our own words, when the state is not the server's reply alone ("gave up after 8 attempts: …"). */
  reason?: string;
  /** The attempt that decided this state. */
  attempt: number;
};

/** What one attempt learned, recipient by recipient. */
export type AttemptResult = {
  attempt: number;
  accepted: string[];
  /** Refused at RCPT (5xx: for good) or deferred (4xx: later), with the reply. */
  rejected: { address: string; reply: SmtpReplyParts }[];
  /** The message went to these and no final reply came. */
  unknown: string[];
};

/** What a message's recipients make of it. "retrying": some are still deferred or unknown. */
export type RecipientsVerdict = "sent" | "partial" | "failed" | "retrying";

/** Why a recipient's outcome is unknown; shown as "unknown outcome — will retry" while it is retried. */
export const UNKNOWN_REASON = "no final reply from the server after the message was sent";

const FINAL: ReadonlySet<RecipientState> = new Set(["accepted", "refused"]);

/** Splits "550-5.1.1 first line\n550 5.1.1 second line" into code, enhanced status and the words. */
export function parseSmtpReply(response: string): SmtpReplyParts {
  const lines = response.trim().split(/\r?\n/);
  const code = Number(/^(\d{3})/.exec(lines[0] ?? "")?.[1] ?? NaN);
  let enhanced: string | null = null;
  const words = lines.map((line) => {
    let rest = line.replace(/^\d{3}[ -]?/, "");
    const status = /^([245]\.\d{1,3}\.\d{1,3})(?:\s+|$)/.exec(rest);
    if (status) {
      enhanced ??= status[1]!;
      rest = rest.slice(status[0].length);
    }
    return rest.trim();
  });
  return { code: Number.isFinite(code) ? code : 0, enhanced, text: words.filter(Boolean).join(" ") };
}

/** "550 5.1.1 Mailbox does not exist", as the server said it (on one line). */
export function formatReply(reply: SmtpReplyParts): string {
  return [reply.code || null, reply.enhanced, reply.text].filter(Boolean).join(" ");
}

/** The envelope recipients of a message, once each, in order. */
export function envelopeAddresses(m: { to: unknown; cc: unknown; bcc: unknown }): string[] {
  const all = [m.to, m.cc, m.bcc].flatMap((list) => (list as { address: string }[]).map((r) => r.address));
  return [...new Set(all)];
}

/** Recipients with no final outcome yet: every one when nothing is stored (first attempt, or all accepted). */
export function pendingRecipients(all: string[], stored: RecipientOutcome[] | null): string[] {
  if (!stored) return all;
  const settled = new Set(stored.filter((o) => FINAL.has(o.state)).map((o) => o.address));
  return all.filter((address) => !settled.has(address));
}

/**
 * The outcomes after an attempt: what the attempt said about each recipient it tried, over what was stored.
 * A recipient the attempt said nothing about keeps its stored state (a recipient never tried is left out,
 * and stays pending).
 */
export function applyAttempt(
  all: string[],
  stored: RecipientOutcome[] | null,
  result: AttemptResult,
): RecipientOutcome[] {
  const byAddress = new Map<string, RecipientOutcome>();
  for (const o of stored ?? []) byAddress.set(o.address, o);
  const { attempt } = result;
  for (const address of result.accepted) byAddress.set(address, { address, state: "accepted", attempt });
  for (const { address, reply } of result.rejected) {
    const state = reply.code >= 400 && reply.code < 500 ? "deferred" : "refused";
    byAddress.set(address, { address, state, reply, attempt });
  }
  for (const address of result.unknown) {
    byAddress.set(address, {
      address,
      state: "unknown",
      reason: UNKNOWN_REASON,
      attempt,
    });
  }
  return all.flatMap((address) => byAddress.get(address) ?? []);
}

/**
 * Every recipient still pending becomes refused, with the reason: the retries ran out (or a permanent error
 * ended the message). `why` is the last thing we know ("450 4.2.0 Mailbox busy").
 */
export function refusePending(
  all: string[],
  stored: RecipientOutcome[],
  attempt: number,
  reason: (last: RecipientOutcome | undefined) => string,
): RecipientOutcome[] {
  const byAddress = new Map(stored.map((o) => [o.address, o]));
  return all.map((address) => {
    const known = byAddress.get(address);
    if (known && FINAL.has(known.state)) return known;
    return {
      address,
      state: "refused" as const,
      ...(known?.reply ? { reply: known.reply } : {}),
      reason: reason(known),
      attempt,
    };
  });
}

/** "gave up after 8 attempts: 450 4.2.0 Mailbox busy" — the reason a pending recipient ends with. */
export function gaveUpReason(attempts: number, last: RecipientOutcome | undefined, fallback: string): string {
  const said = last?.reply ? formatReply(last.reply) : (last?.reason ?? fallback);
  return `gave up after ${attempts} attempt${attempts === 1 ? "" : "s"}: ${said}`;
}

/**
 * The message's status from its recipients: sent (all accepted), partial (some refused for good, the rest
 * accepted), failed (none accepted, none pending), retrying (some deferred or unknown, or never tried).
 */
export function messageStatusOf(all: string[], outcomes: RecipientOutcome[]): RecipientsVerdict {
  const byAddress = new Map(outcomes.map((o) => [o.address, o.state]));
  const states = all.map((address) => byAddress.get(address));
  if (states.some((s) => s === undefined || !FINAL.has(s))) return "retrying";
  const accepted = states.filter((s) => s === "accepted").length;
  if (accepted === all.length) return "sent";
  return accepted > 0 ? "partial" : "failed";
}

/** Why a recipient is where it is, in a few words: the server's reply, else our reason. */
export function outcomeReason(o: RecipientOutcome): string | null {
  if (o.reason) return o.reason;
  return o.reply ? formatReply(o.reply) : null;
}

/**
 * One line per kind: "Accepted for a@x; deferred for b@y (450 4.2.0 Mailbox busy); refused for c@z:
 * 550 5.1.1 Mailbox does not exist". Refusals say each address's reason; accepted ones are listed.
 */
export function describeOutcomes(outcomes: RecipientOutcome[]): string {
  const parts: string[] = [];
  const of = (state: RecipientState) => outcomes.filter((o) => o.state === state);
  const accepted = of("accepted");
  if (accepted.length) parts.push(`Accepted for ${accepted.map((o) => o.address).join(", ")}`);
  for (const o of of("deferred")) {
    parts.push(`deferred for ${o.address}${o.reply ? ` (${formatReply(o.reply)})` : ""}`);
  }
  const unknown = of("unknown");
  if (unknown.length) {
    parts.push(`unknown outcome for ${unknown.map((o) => o.address).join(", ")} (${UNKNOWN_REASON})`);
  }
  for (const o of of("refused")) {
    const why = outcomeReason(o);
    parts.push(`refused for ${o.address}${why ? `: ${why}` : ""}`);
  }
  const text = parts.join("; ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Reads the stored column (text on SQLite when read raw, parsed elsewhere); null when nothing is stored. */
export function parseOutcomes(value: unknown): RecipientOutcome[] | null {
  if (value === null || value === undefined) return null;
  const parsed: unknown = typeof value === "string" ? JSON.parse(value) : value;
  return Array.isArray(parsed) ? (parsed as RecipientOutcome[]) : null;
}
