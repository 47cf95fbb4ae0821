// The push message itself: small (the message id, the outcome, a short text — never the body), and always
// inside what a push service carries. Shared by the server, which builds it, and the service worker, which
// reads it.
import { describeOutcome, type NotifiedOutcome } from "@/lib/push/outcome-text";
import { cleanLine, truncateText } from "@/lib/push/truncate";

/**
 * The largest plaintext an aes128gcm push message can carry: 4096 bytes of record, less the 86-byte header
 * (salt, record size, key id), the 16-byte tag and the 1-byte padding delimiter (RFC 8291 §4).
 */
export const MAX_PUSH_PAYLOAD_BYTES = 3993;
const TITLE_MAX = 100;
const BODY_MAX = 200;

/** A push about one message's delivery. */
export type MessagePushPayload = {
  v: 1;
  messageId: string;
  outcome: NotifiedOutcome["kind"];
  title: string;
  body: string;
  /** Where a tap on the notification goes. */
  url: string;
};

/** A push about a campaign: it has finished (its messages notify nothing each). */
export type CampaignPushPayload = {
  v: 1;
  campaignId: string;
  outcome: "campaign-finished";
  title: string;
  body: string;
  url: string;
};

export type PushPayload = MessagePushPayload | CampaignPushPayload;

export function messagePath(messageId: string): string {
  return `/messages/${encodeURIComponent(messageId)}`;
}

export function campaignPath(campaignId: string): string {
  return `/campaigns/${encodeURIComponent(campaignId)}`;
}

/** The notification's tag: one notification per message, and one per campaign. */
export function notificationTag(payload: PushPayload): string {
  return "campaignId" in payload ? `campaign:${payload.campaignId}` : payload.messageId;
}

export function buildPushPayload(outcome: NotifiedOutcome & { messageId: string }): MessagePushPayload {
  const text = describeOutcome({
    ...outcome,
    subject: cleanLine(outcome.subject),
    accepted: outcome.accepted.map(cleanLine),
    reason: outcome.reason === null ? null : cleanLine(outcome.reason),
    refused: outcome.refused?.map((r) => ({
      address: cleanLine(r.address),
      reason: r.reason === null ? null : cleanLine(r.reason),
    })),
    senderName: outcome.senderName === undefined ? undefined : cleanLine(outcome.senderName),
  });
  return {
    v: 1,
    messageId: outcome.messageId,
    outcome: outcome.kind,
    title: truncateText(text.title, TITLE_MAX),
    body: truncateText(text.body, BODY_MAX),
    url: messagePath(outcome.messageId),
  };
}

export function buildCampaignPushPayload(campaign: {
  campaignId: string;
  title: string;
  body: string;
}): CampaignPushPayload {
  return {
    v: 1,
    campaignId: campaign.campaignId,
    outcome: "campaign-finished",
    title: truncateText(cleanLine(campaign.title), TITLE_MAX),
    body: truncateText(cleanLine(campaign.body), BODY_MAX),
    url: campaignPath(campaign.campaignId),
  };
}

/** The JSON that gets encrypted; its UTF-8 size never exceeds MAX_PUSH_PAYLOAD_BYTES. */
export function encodePushPayload(payload: PushPayload): string {
  let current = payload;
  let json = JSON.stringify(current);
  // The caps above keep any text far below the limit (even at six bytes per escaped code point); this only
  // guards against a future field or cap that forgets it.
  for (let limit = BODY_MAX; utf8Length(json) > MAX_PUSH_PAYLOAD_BYTES; limit = Math.floor(limit / 2)) {
    if (limit < 2) throw new Error("push payload cannot be made small enough");
    current = {
      ...current,
      title: truncateText(current.title, limit),
      body: truncateText(current.body, limit),
    };
    json = JSON.stringify(current);
  }
  return json;
}

/** Reads a push message in the service worker; null for anything that is not one of ours. */
export function parsePushPayload(value: unknown): PushPayload | null {
  if (typeof value !== "object" || value === null) return null;
  const p = value as Record<string, unknown>;
  if (p.v !== 1 || typeof p.title !== "string" || typeof p.body !== "string") return null;
  if (p.outcome === "campaign-finished") {
    return typeof p.campaignId === "string" && p.url === campaignPath(p.campaignId)
      ? (p as CampaignPushPayload)
      : null;
  }
  const outcomes: unknown[] = ["delivered", "failed", "retrying", "sign-in-failed"];
  if (typeof p.messageId !== "string" || !outcomes.includes(p.outcome) || p.url !== messagePath(p.messageId))
    return null;
  return p as MessagePushPayload;
}

export function utf8Length(text: string): number {
  return new TextEncoder().encode(text).byteLength;
}
