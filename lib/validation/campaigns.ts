import { z } from "zod";
import { emailAddress, headerText } from "@/lib/validation/common";
import { MAX_BODY_BYTES, MAX_SCHEDULE_DAYS, MAX_SUBJECT_CHARS } from "@/lib/validation/messages";

export const campaignPatch = z.object({
  name: z.string().trim().min(1, "Give the campaign a name.").max(200).optional(),
  senderId: z.string().min(1).max(64).optional(),
  subject: headerText(MAX_SUBJECT_CHARS, "The subject").optional(),
  html: z
    .string()
    .refine((v) => Buffer.byteLength(v, "utf8") <= MAX_BODY_BYTES, {
      message: "The body is larger than 5 MB.",
      params: { tooLarge: true },
    })
    .optional(),
  /** Copies a saved template's subject and body into the campaign. */
  templateId: z.string().min(1).max(64).optional(),
  /** The variable of the column holding the addresses. */
  emailColumn: z.string().min(1).max(200).optional(),
  /** AI personalisation: an opening line per row, {{ ai_opening }} in the template. */
  aiOpeningEnabled: z.boolean().optional(),
  aiOpeningInstruction: z
    .string()
    .trim()
    .max(1000, "The instruction is at most 1,000 characters.")
    .optional(),
});
export type CampaignPatch = z.infer<typeof campaignPatch>;

export const campaignStartBody = z
  .object({
    startAt: z.iso
      .datetime({
        offset: true,
        error: "startAt must be an ISO 8601 date and time, such as 2026-12-01T08:00:00Z.",
      })
      .optional(),
  })
  .refine((v) => !v.startAt || Date.parse(v.startAt) <= Date.now() + MAX_SCHEDULE_DAYS * 86_400_000, {
    path: ["startAt"],
    message: `A campaign can be scheduled at most ${MAX_SCHEDULE_DAYS} days ahead.`,
  });

export const campaignRecipientsQuery = z.object({
  status: z.enum(["pending", "queued", "sent", "failed", "cancelled", "skipped", "unsubscribed"]).optional(),
  /** Rows after this position. */
  after: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const campaignPreviewQuery = z.object({
  position: z.coerce.number().int().min(1).default(1),
});

export const suppressionBody = z.object({
  email: emailAddress,
  detail: z.string().trim().max(500).optional(),
});

/** POST /api/campaigns' query: both optional (the file's name is not sent; the address column is found). */
export const campaignImportQuery = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  emailColumn: z.string().min(1).max(200).optional(),
});
