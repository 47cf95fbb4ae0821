import { z } from "zod";
import { WEBHOOK_EVENT_TYPES } from "@/lib/webhooks/event-types";

// The answers of /api/v1, as zod schemas: the OpenAPI document is generated from them (lib/api-v1/openapi.ts)
// and the tests check every real answer against that document. Requests use the app's own schemas
// (lib/validation/*), so what the API accepts and what the document says cannot drift apart.

const isoTime = z.iso.datetime({ offset: true });

export const errorBody = z.object({
  error: z.object({
    code: z.string().meta({ description: "Machine-readable: validation_failed, unauthorized, not_found …" }),
    message: z.string().meta({ description: "What went wrong, in words a person can act on." }),
    fields: z.record(z.string(), z.array(z.string())).optional(),
    requestId: z.string().optional(),
  }),
});

const recipient = z.object({ address: z.string(), name: z.string().optional() });

export const recipientOutcome = z.object({
  address: z.string(),
  state: z.enum(["accepted", "deferred", "refused", "unknown", "pending"]),
  reply: z.object({ code: z.number().int(), enhanced: z.string().nullable(), text: z.string() }).nullable(),
  reason: z.string().nullable(),
});

export const messageSummary = z.object({
  id: z.string(),
  idempotencyKey: z.string(),
  status: z.enum(["queued", "sending", "sent", "partial", "failed", "cancelled"]),
  subject: z.string(),
  from: z.object({ name: z.string().nullable(), address: z.string() }),
  to: z.array(recipient),
  cc: z.array(recipient),
  bcc: z.array(recipient),
  senderId: z.string().nullable(),
  viaSandbox: z
    .boolean()
    .meta({ description: "Sent through the built-in test mailbox: nothing left the machine." }),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  createdAt: isoTime,
  sentAt: isoTime.nullable(),
  sendAt: isoTime.nullable(),
  holdUntil: isoTime.nullable(),
  nextAttemptAt: isoTime
    .nullable()
    .meta({ description: "When a queued message is tried next; null once it is no longer queued." }),
  recipients: z.array(recipientOutcome),
  hasAttachments: z.boolean().meta({ description: "The message carries files (the detail lists them)." }),
});

export const attachmentView = z.object({
  id: z.string().meta({ description: "Pass it in attachmentIds to send the file again (Forward)." }),
  filename: z.string(),
  contentType: z.string(),
  size: z.number().int().meta({ description: "Bytes, as stored." }),
  encodedSize: z.number().int().meta({ description: "Bytes in the message (base64 and part headers)." }),
  sha256: z.string(),
  contentId: z
    .string()
    .nullable()
    .meta({ description: "For an inline image: the HTML shows it as cid:<contentId>." }),
});

export const messageDetail = messageSummary.extend({
  messageId: z.string().meta({ description: "The RFC 5322 Message-ID header." }),
  html: z.string(),
  smtpResponse: z.string().nullable(),
  accepted: z.array(z.string()),
  rejected: z.array(z.string()),
  events: z.array(z.object({ type: z.string(), detail: z.string().nullable(), at: isoTime })),
  attachments: z.array(attachmentView),
  inReplyTo: z.string().nullable().meta({ description: "A reply's In-Reply-To header (RFC 5322 §3.6.4)." }),
  references: z.string().nullable().meta({ description: "A reply's References header." }),
  forwardOf: z
    .string()
    .nullable()
    .meta({ description: 'A forward\'s original: "mailbox:<id>" or "sent:<id>".' }),
});

export const sendAnswer = z.object({ message: messageSummary, replayed: z.boolean() });
export const messagePage = z.object({ items: z.array(messageSummary), nextCursor: z.string().nullable() });
export const messageAnswer = z.object({ message: messageDetail });
export const cancelAnswer = z.object({ message: messageSummary });

export const senderView = z.object({
  id: z.string(),
  kind: z.enum(["sandbox", "smtp"]),
  label: z.string(),
  fromName: z.string().nullable(),
  fromEmail: z.string(),
  signInFailed: z.object({ at: isoTime, reason: z.string() }).nullable(),
  createdAt: isoTime,
});
export const senderList = z.object({ senders: z.array(senderView) });

export const webhookView = z.object({
  id: z.string(),
  kind: z.enum(["standard", "slack", "discord"]),
  url: z.string(),
  description: z.string().nullable(),
  events: z.array(z.enum(WEBHOOK_EVENT_TYPES)),
  disabledAt: isoTime.nullable(),
  disabledReason: z.string().nullable(),
  createdAt: isoTime,
});
export const webhookAnswer = z.object({ webhook: webhookView });
export const webhookCreated = z.object({
  webhook: webhookView,
  secret: z
    .string()
    .nullable()
    .meta({ description: "The whsec_ signing secret, shown once (null for Slack and Discord)." }),
});
export const webhookList = z.object({ webhooks: z.array(webhookView) });

export const webhookDeliveryView = z.object({
  id: z.string(),
  eventId: z.string(),
  type: z.string(),
  status: z.enum(["pending", "delivered", "failed"]),
  attempts: z.number().int(),
  nextAttemptAt: isoTime.nullable(),
  lastStatus: z.number().int().nullable(),
  lastError: z.string().nullable(),
  createdAt: isoTime,
  deliveredAt: isoTime.nullable(),
  attemptLog: z.array(
    z.object({
      statusCode: z.number().int().nullable(),
      error: z.string().nullable(),
      durationMs: z.number().int(),
      at: isoTime,
    }),
  ),
});
export const webhookDeliveryList = z.object({
  deliveries: z.array(webhookDeliveryView),
  nextCursor: z.string().nullable(),
});
export const webhookDeliveryAnswer = z.object({ delivery: webhookDeliveryView });

export const templateView = z.object({
  id: z.string(),
  name: z.string(),
  subject: z.string(),
  html: z.string(),
  variables: z.array(z.string()).meta({ description: "The variables the subject and body use." }),
  createdAt: isoTime,
  updatedAt: isoTime,
});
export const templateAnswer = z.object({ template: templateView });
export const templateList = z.object({ templates: z.array(templateView) });

const campaignCounts = z.object({
  total: z.number().int(),
  waiting: z.number().int(),
  sent: z.number().int(),
  failed: z.number().int(),
  cancelled: z.number().int(),
  skipped: z.number().int().meta({ description: "Invalid, duplicate or suppressed addresses: never sent." }),
  unsubscribed: z.number().int(),
});

export const campaignView = z.object({
  id: z.string(),
  name: z.string(),
  status: z.enum(["draft", "running", "paused", "cancelled", "done"]),
  senderId: z.string().nullable(),
  subject: z.string(),
  html: z.string(),
  columns: z.array(z.object({ header: z.string(), variable: z.string() })),
  emailColumn: z.string(),
  startAt: isoTime.nullable(),
  startedAt: isoTime.nullable(),
  finishedAt: isoTime.nullable(),
  pausedReason: z
    .string()
    .nullable()
    .meta({ description: "Why the campaign paused itself (the AI allowance ran out); null otherwise." }),
  aiOpeningEnabled: z.boolean().meta({ description: "Each row gets an AI opening line, {{ ai_opening }}." }),
  aiOpeningInstruction: z.string(),
  createdAt: isoTime,
  counts: campaignCounts,
});
const csvProblem = z.object({ position: z.number().int(), value: z.string(), reason: z.string() });
export const importReport = z.object({
  rows: z.number().int(),
  valid: z.number().int(),
  invalid: z.array(csvProblem),
  duplicates: z.array(csvProblem),
});
export const campaignAnswer = z.object({ campaign: campaignView });
export const campaignWithReport = z.object({ campaign: campaignView, report: importReport });
export const campaignList = z.object({ campaigns: z.array(campaignView) });
