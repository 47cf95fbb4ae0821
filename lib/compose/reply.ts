// Reply, Reply all and Forward: the subject, the recipients, the threading headers and the quoted original of
// a new message made from one the user has (a Mailbox message or a sent one). Pure functions, shared by the
// page (which builds the draft, online or offline) and the tests.
import type { Recipient } from "@/lib/validation/messages";

export type ReplyMode = "reply" | "all" | "forward";

/** What a reply or forward needs of the original; the page gets it from the server with the message. */
export type ReplySource = {
  /** Where it came from: the Mailbox (captured) or Sent; forwardOf names it so its attachments can follow. */
  kind: "mailbox" | "sent";
  id: string;
  /** Its Message-ID, in angle brackets; null when it had none (then a reply carries no threading headers). */
  messageId: string | null;
  /** Its own References and In-Reply-To, as found in its headers. */
  references: string | null;
  inReplyTo: string | null;
  subject: string;
  /** ISO 8601; null when unknown. */
  date: string | null;
  from: Recipient;
  replyTo: Recipient[];
  to: Recipient[];
  cc: Recipient[];
  /** Sanitized HTML (the server's allowlist), or null for a plain-text message. */
  html: string | null;
  text: string;
  attachmentCount: number;
  /** A sent message's files (their ids): a forward carries them as they are. A Mailbox message's are copied first. */
  attachmentIds?: string[];
};

/** Class names the sanitizer keeps on a div, so the plain-text part and a restored draft find each part. */
export const SIGNATURE_CLASS = "sv-signature";
export const QUOTE_CLASS = "sv-quote";

// "Re:", "RE:", "Re[2]:", "AW:" (German), "SV:" (Nordic); "Fwd:", "FW:", "WG:" (German).
const REPLY_PREFIX = /^\s*(?:re|aw|sv)(?:\s*\[\d+\])?\s*:\s*/i;
const FORWARD_PREFIX = /^\s*(?:fwd?|wg)(?:\s*\[\d+\])?\s*:\s*/i;

/** "Re: " once, however many reply prefixes (in whatever case) the original had. */
export function replySubject(subject: string): string {
  return `Re: ${stripPrefixes(subject, [REPLY_PREFIX])}`;
}

/** "Fwd: " once: forward prefixes are dropped, and so are reply prefixes before them. */
export function forwardSubject(subject: string): string {
  return `Fwd: ${stripPrefixes(subject, [REPLY_PREFIX, FORWARD_PREFIX])}`;
}

function stripPrefixes(subject: string, patterns: RegExp[]): string {
  let rest = subject.trim();
  for (let changed = true; changed;) {
    changed = false;
    for (const pattern of patterns) {
      const next = rest.replace(pattern, "");
      if (next !== rest) {
        rest = next;
        changed = true;
      }
    }
  }
  return rest;
}

/** The msg-id tokens (`<…@…>`) of a header value, in order, each once. */
export function parseMessageIds(value: string | null | undefined): string[] {
  const ids = (value ?? "").match(/<[!-;=?-~]+>/g) ?? [];
  return [...new Set(ids)];
}

/** How many Message-IDs a References header keeps: the first (the thread's start) and the latest ones. */
export const MAX_REFERENCES = 20;

/**
 * In-Reply-To and References for a reply, as RFC 5322 §3.6.4 says: In-Reply-To is the parent's Message-ID;
 * References is the parent's References (or, without one, its In-Reply-To when that names one message)
 * followed by the parent's Message-ID. A parent without a Message-ID gives neither. A long chain keeps its first
 * and latest identifiers, as mail clients do.
 */
export function threadingHeaders(parent: {
  messageId: string | null;
  references: string | null;
  inReplyTo: string | null;
}): { inReplyTo: string; references: string } | null {
  const [parentId] = parseMessageIds(parent.messageId);
  if (!parentId) return null;
  let chain = parseMessageIds(parent.references);
  if (chain.length === 0) {
    const inReplyTo = parseMessageIds(parent.inReplyTo);
    chain = inReplyTo.length === 1 ? inReplyTo : [];
  }
  chain = [...chain.filter((id) => id !== parentId), parentId];
  if (chain.length > MAX_REFERENCES) chain = [chain[0]!, ...chain.slice(-(MAX_REFERENCES - 1))];
  return { inReplyTo: parentId, references: chain.join(" ") };
}

/**
 * To and Cc of a reply. Reply goes to the Reply-To (else the From); Reply all adds the original's To and Cc.
 * The user's own addresses are never among them — except that replying to one's own message goes to the
 * people it was sent to, and a message only ever sent to oneself is answered to oneself.
 */
export function replyRecipients(
  source: {
    from: Recipient;
    replyTo: readonly Recipient[];
    to: readonly Recipient[];
    cc: readonly Recipient[];
  },
  mode: "reply" | "all",
  ownAddresses: readonly string[],
): { to: Recipient[]; cc: Recipient[] } {
  const own = new Set(ownAddresses.map((a) => a.toLowerCase()));
  const isOwn = (r: Recipient) => own.has(r.address.toLowerCase());
  const fromSelf = isOwn(source.from);
  const primary = fromSelf ? source.to : source.replyTo.length > 0 ? source.replyTo : [source.from];
  const seen = new Set<string>();
  const pick = (list: readonly Recipient[]) =>
    list.filter((r) => {
      const key = r.address.toLowerCase();
      if (isOwn(r) || seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  const to = pick(mode === "all" && !fromSelf ? [...primary, ...source.to] : primary);
  const cc = mode === "all" ? pick(source.cc) : [];
  if (to.length === 0 && cc.length === 0) return { to: [source.from], cc: [] };
  return { to, cc };
}

/** "Alice <alice@example.com>", or the bare address. */
export function formatAddress(r: Recipient): string {
  return r.name ? `${r.name} <${r.address}>` : r.address;
}

/** The date as the quote's header shows it, such as "Fri, Nov 27, 2026, 9:30 AM". */
export function quoteDate(iso: string | null, timeZone?: string): string | null {
  if (!iso) return null;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return null;
  return date.toLocaleString("en-US", {
    weekday: "short",
    year: "numeric",
    month: "short",
    day: "numeric",
    hour: "numeric",
    minute: "2-digit",
    timeZone,
  });
}

/** The original's body as HTML: its sanitized HTML, or its plain text escaped with its line breaks. */
function originalHtml(source: Pick<ReplySource, "html" | "text">): string {
  if (source.html) return source.html;
  return source.text
    .split(/\r?\n\r?\n+/)
    .map((para) => `<p>${escapeHtml(para).replace(/\r?\n/g, "<br>")}</p>`)
    .join("");
}

/** The quoted original under a reply: "On <date>, <sender> wrote:" and the body in a blockquote. */
export function replyQuoteHtml(source: ReplySource, timeZone?: string): string {
  const when = quoteDate(source.date, timeZone);
  const intro = `${when ? `On ${when}, ` : ""}${formatAddress(source.from)} wrote:`;
  return (
    `<div class="${QUOTE_CLASS}"><p>${escapeHtml(intro)}</p>` +
    `<blockquote>${originalHtml(source)}</blockquote></div>`
  );
}

/** The forwarded original: a "Forwarded message" block naming its From, Date, Subject, To and Cc. */
export function forwardQuoteHtml(source: ReplySource, timeZone?: string): string {
  const when = quoteDate(source.date, timeZone);
  const lines = [
    "---------- Forwarded message ---------",
    `From: ${formatAddress(source.from)}`,
    ...(when ? [`Date: ${when}`] : []),
    `Subject: ${source.subject}`,
    `To: ${source.to.map(formatAddress).join(", ")}`,
    ...(source.cc.length ? [`Cc: ${source.cc.map(formatAddress).join(", ")}`] : []),
  ];
  return (
    `<div class="${QUOTE_CLASS}"><p>${lines.map(escapeHtml).join("<br>")}</p>` +
    `<div>${originalHtml(source)}</div></div>`
  );
}

/** The original's text with each line "> "-quoted, as the pre-send check and plain-text readers see it. */
export function quotePlainText(text: string): string {
  return text
    .replace(/\s+$/, "")
    .split(/\r?\n/)
    .map((line) => (line.startsWith(">") ? `>${line}` : line ? `> ${line}` : ">"))
    .join("\n");
}

export type ReplyDraftParts = {
  subject: string;
  to: Recipient[];
  cc: Recipient[];
  /** The quoted original, kept below what the user writes (and below the signature). */
  quoteHtml: string;
  /** The original's text, for the pre-send check's "unanswered questions". */
  quotedText: string;
  inReplyTo?: string;
  references?: string;
  forwardOf?: string;
  /** A forward of a sent message: the original's files, which the user can remove before sending. */
  attachmentIds?: string[];
};

/** Everything a reply, reply all or forward starts with. */
export function replyDraftParts(
  source: ReplySource,
  mode: ReplyMode,
  ownAddresses: readonly string[],
  timeZone?: string,
): ReplyDraftParts {
  if (mode === "forward") {
    return {
      subject: forwardSubject(source.subject),
      to: [],
      cc: [],
      quoteHtml: forwardQuoteHtml(source, timeZone),
      quotedText: source.text,
      forwardOf: `${source.kind}:${source.id}`,
      ...(source.attachmentIds?.length ? { attachmentIds: [...source.attachmentIds] } : {}),
    };
  }
  const headers = threadingHeaders(source);
  return {
    subject: replySubject(source.subject),
    ...replyRecipients(source, mode, ownAddresses),
    quoteHtml: replyQuoteHtml(source, timeZone),
    quotedText: source.text,
    ...(headers ?? {}),
  };
}

/**
 * The HTML that is sent: what the user wrote, then the signature (in its own div), then the quoted original.
 */
export function composeMessageHtml(parts: {
  body: string;
  signatureHtml?: string | null;
  quoteHtml?: string | null;
}): string {
  const signature = parts.signatureHtml?.trim()
    ? `<div class="${SIGNATURE_CLASS}">${parts.signatureHtml}</div>`
    : "";
  return `${parts.body}${signature}${parts.quoteHtml ?? ""}`;
}

/**
 * The parts of HTML made by composeMessageHtml, for a message taken back by Undo: what the user wrote, and the
 * quoted original. The signature is left out: Compose shows the sender's own again.
 */
export function splitComposedHtml(html: string): { body: string; quoteHtml: string | null } {
  const signatureAt = html.indexOf(`<div class="${SIGNATURE_CLASS}">`);
  const quoteAt = html.indexOf(`<div class="${QUOTE_CLASS}">`);
  const ends = [signatureAt, quoteAt].filter((i) => i >= 0);
  const bodyEnd = ends.length ? Math.min(...ends) : html.length;
  return { body: html.slice(0, bodyEnd), quoteHtml: quoteAt >= 0 ? html.slice(quoteAt) : null };
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
