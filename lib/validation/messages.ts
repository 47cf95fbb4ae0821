import { z } from "zod";
import { isNestedTooDeeply, MAX_HTML_DEPTH } from "@/lib/mail/html-depth";
import { emailAddress, headerText } from "@/lib/validation/common";

export const MAX_RECIPIENTS = 100;
export const MAX_SUBJECT_CHARS = 998;
export const MAX_BODY_BYTES = 5 * 1024 * 1024;
export const MAX_SCHEDULE_DAYS = 365;

const MSG_ID = /^<[!-;=?-~]+>$/;
const MSG_ID_LIST = /^<[!-;=?-~]+>(?: <[!-;=?-~]+>)*$/;

/** A reply's threading headers (RFC 5322 §3.6.4) and a forward's original, as lib/compose/reply.ts makes them. */
export const threadFields = {
  inReplyTo: z
    .string()
    .max(998, "inReplyTo is too long.")
    .regex(MSG_ID, "inReplyTo must be one Message-ID in angle brackets, such as <id@example.com>.")
    .optional(),
  references: z
    .string()
    .max(16_000, "references is too long.")
    .regex(MSG_ID_LIST, "references must be Message-IDs in angle brackets, separated by single spaces.")
    .optional(),
  forwardOf: z
    .string()
    .regex(/^(?:mailbox|sent):[A-Za-z0-9_-]{1,64}$/, 'forwardOf must be "mailbox:<id>" or "sent:<id>".')
    .optional(),
};

export const recipient = z.object({
  address: emailAddress,
  name: headerText(200, "A recipient name").trim().optional(),
});
export type Recipient = z.infer<typeof recipient>;

const recipientList = z
  .array(recipient)
  .max(MAX_RECIPIENTS, `At most ${MAX_RECIPIENTS} recipients.`)
  .default([]);

export const sendMessageBody = z
  .object({
    idempotencyKey: z.uuid("idempotencyKey must be a UUID made by the client."),
    senderId: z.string({ error: "Choose a sender." }).min(1, "Choose a sender.").max(64),
    to: recipientList,
    cc: recipientList,
    bcc: recipientList,
    subject: headerText(MAX_SUBJECT_CHARS, "The subject").default(""),
    html: z.string({ error: "The message body is missing." }).default(""),
    /**
     * Files uploaded before (POST /api/attachments) or already stored with another message of the user's (Forward
     * passes the original's), in the order they go in the message.
     */
    attachmentIds: z.array(z.string().min(1).max(64)).max(100, "At most 100 files.").default([]),
    // A time already past is "now": a message scheduled while offline may reach the server late.
    sendAt: z.iso
      .datetime({
        offset: true,
        error: "sendAt must be an ISO 8601 date and time, such as 2026-12-01T08:00:00Z.",
      })
      .optional(),
    ...threadFields,
  })
  .superRefine((value, ctx) => {
    const total = value.to.length + value.cc.length + value.bcc.length;
    if (total === 0) ctx.addIssue({ code: "custom", path: ["to"], message: "Add at least one recipient." });
    if (total > MAX_RECIPIENTS) {
      ctx.addIssue({
        code: "custom",
        path: ["to"],
        message: `At most ${MAX_RECIPIENTS} recipients in total (To, Cc and Bcc); this message has ${total}.`,
      });
    }
    if (value.sendAt && Date.parse(value.sendAt) > Date.now() + MAX_SCHEDULE_DAYS * 86_400_000) {
      ctx.addIssue({
        code: "custom",
        path: ["sendAt"],
        message: `A message can be scheduled at most ${MAX_SCHEDULE_DAYS} days ahead.`,
      });
    }
    if (Buffer.byteLength(value.html, "utf8") > MAX_BODY_BYTES) {
      ctx.addIssue({
        code: "custom",
        path: ["html"],
        message: "The message body is larger than 5 MB.",
        params: { tooLarge: true },
      });
    } else if (isNestedTooDeeply(value.html)) {
      // Measured before anything parses it: the sanitizer and the plain-text conversion walk the tree.
      ctx.addIssue({
        code: "custom",
        path: ["html"],
        message: `The message body nests elements more than ${MAX_HTML_DEPTH} levels deep. Simplify its formatting.`,
      });
    }
  });

export type SendMessageBody = z.infer<typeof sendMessageBody>;

// POST /api/outbox: a device's offline outbox in one request. Each message is checked on its own (as POST
// /api/messages checks it), so one the server refuses does not hold back the rest.
export const MAX_OUTBOX_BATCH = 50;
export const MAX_OUTBOX_BATCH_BYTES = 2 * 1024 * 1024;
export const outboxBatchBody = z.object({
  messages: z
    .array(z.unknown())
    .min(1, "Send at least one message.")
    .max(MAX_OUTBOX_BATCH, `At most ${MAX_OUTBOX_BATCH} messages in one request.`),
});

export const listMessagesQuery = z.object({
  q: z.string().trim().max(200).optional(),
  status: z.enum(["queued", "sending", "sent", "partial", "failed", "cancelled"]).optional(),
  cursor: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
