import { z } from "zod";

export const MAX_CONTACT_SUGGESTIONS = 200;

/** GET /api/contacts?q=&limit= — what was typed so far (empty: the best overall, for the device's cache). */
export const contactsQuery = z.object({
  q: z.string().max(320, "The search is at most 320 characters.").default(""),
  limit: z.coerce
    .number({ error: "limit is a number." })
    .int("limit is a whole number.")
    .min(1, "limit is at least 1.")
    .max(MAX_CONTACT_SUGGESTIONS, `limit is at most ${MAX_CONTACT_SUGGESTIONS}.`)
    .default(8),
});

export const contactView = z.object({
  address: z.string(),
  name: z.string().optional(),
  score: z.number(),
  count: z.number().int(),
  lastAt: z.number(),
});
