import { z } from "zod";
import {
  MAX_BODY_BYTES,
  MAX_RECIPIENTS,
  MAX_SUBJECT_CHARS,
  recipient,
  threadFields,
} from "@/lib/validation/messages";
import { headerText } from "@/lib/validation/common";

/** A draft may hold what a message may: its body is capped at the message body's size. */
export const MAX_DRAFT_BODY_BYTES = MAX_BODY_BYTES;
/** The request around the body and a reply's quoted original: recipients, subject and file ids add little. */
export const MAX_DRAFT_REQUEST_BYTES = 2 * MAX_DRAFT_BODY_BYTES + 256 * 1024;
/** Drafts kept per user on the server. */
export const MAX_DRAFTS = 500;

/** A draft's id is made by the device that starts it (a UUID, from crypto.randomUUID). */
export const draftId = z.uuid("A draft id is a UUID.");

// Unlike a message, a draft may hold an address still being typed: only Send insists on valid ones.
const draftRecipient = recipient.extend({
  address: z.string().trim().max(320, "An address is at most 320 characters."),
});
const draftHtml = (what: string) =>
  z
    .string()
    .default("")
    .refine((v) => Buffer.byteLength(v, "utf8") <= MAX_DRAFT_BODY_BYTES, {
      message: `${what} is larger than ${MAX_DRAFT_BODY_BYTES / 1024 / 1024} MB.`,
      params: { tooLarge: true },
    });

const draftRecipients = z
  .array(draftRecipient)
  .max(MAX_RECIPIENTS, `At most ${MAX_RECIPIENTS} recipients.`)
  .default([]);

/** PUT /api/drafts/:id — the whole draft, and the revision of the server's copy it was based on (0: new). */
export const saveDraftBody = z.object({
  baseRevision: z.number().int().min(0, "baseRevision is 0 or more."),
  senderId: z.string().max(64).default(""),
  to: draftRecipients,
  cc: draftRecipients,
  bcc: draftRecipients,
  subject: headerText(MAX_SUBJECT_CHARS, "The subject").default(""),
  html: draftHtml("The draft body"),
  // A reply or forward keeps its original and thread, and any draft its files, from one device to the next.
  quoteHtml: draftHtml("The quoted original"),
  quotedText: draftHtml("The quoted text"),
  ...threadFields,
  attachmentIds: z.array(z.string().min(1).max(64)).max(100, "At most 100 files.").default([]),
});
export type SaveDraftBody = z.infer<typeof saveDraftBody>;

/** A draft as the server keeps it and returns it. */
export const draftView = z.object({
  id: z.string(),
  revision: z.number().int().min(1),
  senderId: z.string(),
  to: z.array(draftRecipient),
  cc: z.array(draftRecipient),
  bcc: z.array(draftRecipient),
  subject: z.string(),
  html: z.string(),
  quoteHtml: z.string(),
  quotedText: z.string(),
  inReplyTo: z.string().optional(),
  references: z.string().optional(),
  forwardOf: z.string().optional(),
  attachmentIds: z.array(z.string()),
  updatedAt: z.string(),
});
export type DraftView = z.infer<typeof draftView>;
