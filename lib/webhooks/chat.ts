import type { WebhookEventPayload } from "@/lib/webhooks/events";

// Slack and Discord incoming webhooks take their own message formats: Slack Block Kit, Discord embeds. Each
// allows about one message a second per webhook (Discord: 30 a minute), so the sender spaces them out.

export const CHAT_MIN_INTERVAL_MS = { slack: 1000, discord: 2000 } as const;

type MessageData = {
  messageId?: string;
  subject?: string;
  accepted?: string[];
  refused?: { address: string; reason: string | null }[];
  reason?: string | null;
  message?: string;
  /** Campaign events. */
  name?: string;
  status?: string;
  /** recipient.unsubscribed. */
  email?: string;
  campaignName?: string;
};

const TITLES: Record<string, string> = {
  "message.queued": "Message queued",
  "message.sent": "Message sent",
  "message.partially_delivered": "Message partly delivered",
  "message.failed": "Message failed",
  "message.deferred": "Message delayed — will retry",
  "campaign.started": "Campaign started",
  "campaign.paused": "Campaign paused",
  "campaign.finished": "Campaign finished",
  "recipient.unsubscribed": "Recipient unsubscribed",
  "webhook.test": "Test notification from SecureVault",
};

/** A notification's parts: its title, the one field that names what it is about, and details. */
function lines(payload: WebhookEventPayload): {
  title: string;
  label: string;
  value: string;
  details: string[];
} {
  const data = (payload.data ?? {}) as MessageData;
  const title = TITLES[payload.type] ?? payload.type;
  if (payload.type.startsWith("campaign.")) {
    const status = data.status === "cancelled" ? ["Cancelled before every row was sent."] : [];
    return { title, label: "Campaign", value: data.name || "(unnamed)", details: status };
  }
  if (payload.type === "recipient.unsubscribed") {
    const from = data.campaignName ? [`From campaign: ${data.campaignName}`] : [];
    return { title, label: "Address", value: data.email ?? "", details: from };
  }
  const details: string[] = [];
  if (data.message) details.push(data.message);
  if (data.accepted?.length) details.push(`Accepted: ${data.accepted.slice(0, 10).join(", ")}`);
  for (const r of data.refused?.slice(0, 10) ?? [])
    details.push(`Refused: ${r.address}${r.reason ? ` — ${r.reason}` : ""}`);
  if (data.reason && !data.refused?.length) details.push(data.reason);
  return { title, label: "Subject", value: data.subject || "(no subject)", details };
}

export function slackBody(payload: WebhookEventPayload): string {
  const { title, label, value, details } = lines(payload);
  return JSON.stringify({
    text: `${title}: ${value}`,
    blocks: [
      { type: "header", text: { type: "plain_text", text: title.slice(0, 150) } },
      {
        type: "section",
        text: { type: "mrkdwn", text: `*${label}:* ${escapeSlack(value).slice(0, 2900)}` },
      },
      ...(details.length
        ? [
            {
              type: "section",
              text: { type: "mrkdwn", text: escapeSlack(details.join("\n")).slice(0, 2900) },
            },
          ]
        : []),
      { type: "context", elements: [{ type: "mrkdwn", text: `SecureVault · ${payload.timestamp}` }] },
    ],
  });
}

const COLORS: Record<string, number> = {
  "message.sent": 0x2e7d32,
  "message.partially_delivered": 0xed6c02,
  "message.failed": 0xd32f2f,
  "message.deferred": 0xed6c02,
  "campaign.finished": 0x2e7d32,
};

export function discordBody(payload: WebhookEventPayload): string {
  const { title, label, value, details } = lines(payload);
  return JSON.stringify({
    username: "SecureVault",
    allowed_mentions: { parse: [] },
    embeds: [
      {
        title: title.slice(0, 256),
        description: `**${label}:** ${value}\n${details.join("\n")}`.slice(0, 4000),
        color: COLORS[payload.type] ?? 0x1976d2,
        timestamp: payload.timestamp,
      },
    ],
  });
}

function escapeSlack(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
