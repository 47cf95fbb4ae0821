import { z } from "zod";
import { SUBSCRIBABLE_EVENT_TYPES } from "@/lib/webhooks/event-types";

export const MAX_WEBHOOKS = 20;

const webhookUrl = z
  .string({ error: "Enter the URL that should receive the events." })
  .trim()
  .max(2000, "A webhook URL must be at most 2000 characters.")
  .pipe(z.url({ error: "Enter a full URL, such as https://example.com/hooks/securevault." }));

const events = z
  .array(z.enum(SUBSCRIBABLE_EVENT_TYPES, { error: `Events are ${SUBSCRIBABLE_EVENT_TYPES.join(", ")}.` }))
  .min(1, "Choose at least one event.")
  .transform((list) => [...new Set(list)]);

const description = z.string().trim().max(200, "A description must be at most 200 characters.");

export const createWebhookBody = z
  .object({
    url: webhookUrl,
    kind: z.enum(["standard", "slack", "discord"]).default("standard").meta({
      description: "standard: signed JSON (Standard Webhooks); slack / discord: an incoming-webhook URL.",
    }),
    events,
    description: description.nullable().default(null),
  })
  .strict();
export type CreateWebhookBody = z.infer<typeof createWebhookBody>;

export const updateWebhookBody = z
  .object({
    url: webhookUrl.optional(),
    events: events.optional(),
    description: description.nullable().optional(),
    /** true turns a disabled endpoint back on (its waiting events go out again); false pauses it. */
    enabled: z.boolean().optional(),
    /** A new signing secret; the old one keeps signing too for 24 hours, so receivers can switch over. */
    rotateSecret: z.literal(true).optional(),
  })
  .strict();
export type UpdateWebhookBody = z.infer<typeof updateWebhookBody>;

export const listDeliveriesQuery = z.object({
  cursor: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
