// One-click unsubscribe (RFC 8058, RFC 2369). Every campaign message carries a URL signed for its recipient:
// the HMAC over the ledger row's id is the authority, so the POST needs no session and a guessed or altered
// URL unsubscribes nobody. The headers are made from the message's own Message-ID (`<cm.{recipient id}@…>`),
// so the delivery worker adds them without a database read.
import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import { getInstanceSecrets } from "@/lib/crypto/instance-secrets";
import { env } from "@/lib/env";

const CAMPAIGN_MESSAGE_ID = /^<?cm\.([A-Za-z0-9-]{8,64})@/;

let key: Buffer | undefined;
function signingKey(): Buffer {
  key ??= Buffer.from(
    hkdfSync("sha256", getInstanceSecrets().authSecret, "", "securevault campaign unsubscribe", 32),
  );
  return key;
}

function signature(recipientId: string): string {
  return createHmac("sha256", signingKey()).update(recipientId).digest("base64url").slice(0, 32);
}

/** Whether a Message-ID is a campaign recipient's (campaignMessageId made it). */
export function isCampaignMessageId(messageIdHeader: string): boolean {
  return CAMPAIGN_MESSAGE_ID.test(messageIdHeader);
}

/** The Message-ID of a campaign recipient's message: fixed by the row's id and the sender's domain. */
export function campaignMessageId(recipientId: string, fromEmail: string): string {
  return `<cm.${recipientId}@${fromEmail.split("@")[1] || "securevault.local"}>`;
}

export function unsubscribeToken(recipientId: string): string {
  return `${recipientId}.${signature(recipientId)}`;
}

/** The ledger row a token was signed for, or null when the signature does not match. */
export function recipientOfToken(token: string): string | null {
  const dot = token.lastIndexOf(".");
  if (dot <= 0) return null;
  const id = token.slice(0, dot);
  const given = Buffer.from(token.slice(dot + 1));
  const expected = Buffer.from(signature(id));
  return given.length === expected.length && timingSafeEqual(given, expected) ? id : null;
}

export function unsubscribeUrl(recipientId: string): string {
  const base = (env.APP_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, "");
  return `${base}/api/unsubscribe/${unsubscribeToken(recipientId)}`;
}

/**
 * List-Unsubscribe and List-Unsubscribe-Post for a campaign message; none for any other message. The mailto:
 * goes to the sender's own address (where replies go), asking by subject.
 */
export function listUnsubscribeHeaders(message: {
  messageIdHeader: string;
  fromEmail: string;
}): [string, string][] | undefined {
  const match = CAMPAIGN_MESSAGE_ID.exec(message.messageIdHeader);
  if (!match) return undefined;
  const mailto = `mailto:${message.fromEmail}?subject=unsubscribe`;
  return [
    ["List-Unsubscribe", `<${unsubscribeUrl(match[1]!)}>, <${mailto}>`],
    ["List-Unsubscribe-Post", "List-Unsubscribe=One-Click"],
  ];
}

/** The footer every campaign body ends with: the same page the header's URL opens. */
export function unsubscribeFooter(recipientId: string): string {
  return (
    `<p style="margin-top:24px;font-size:12px;color:#666">Don't want these emails? ` +
    `<a href="${unsubscribeUrl(recipientId)}">Unsubscribe</a>.</p>`
  );
}
