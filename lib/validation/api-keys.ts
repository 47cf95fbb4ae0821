import { z } from "zod";
import { API_KEY_SCOPES } from "@/lib/api-keys/scopes";

export const MAX_API_KEYS = 50;

/**
 * Creating a key re-authenticates: the account password, or — when two-factor sign-in is on — a current code
 * from the authenticator instead. A stolen session alone cannot mint a long-lived credential.
 */
export const createApiKeyBody = z
  .object({
    name: z
      .string({ error: "Name the key, such as the app that will use it." })
      .trim()
      .min(1, "Name the key, such as the app that will use it.")
      .max(100, "A key name must be at most 100 characters."),
    scopes: z
      .array(z.enum(API_KEY_SCOPES, { error: `Scopes are ${API_KEY_SCOPES.join(", ")}.` }))
      .min(1, "Choose at least one scope.")
      .transform((scopes) => [...new Set(scopes)]),
    expiresAt: z.iso
      .datetime({ offset: true, error: "expiresAt must be an ISO 8601 date and time." })
      .refine((v) => Date.parse(v) > Date.now(), "The expiry must be in the future.")
      .nullable()
      .default(null),
    password: z.string().max(1024).optional(),
    code: z.string().trim().max(32).optional(),
  })
  .strict()
  .refine((v) => Boolean(v.password) || Boolean(v.code), {
    path: ["password"],
    message: "Enter your password to create a key.",
  });
export type CreateApiKeyBody = z.infer<typeof createApiKeyBody>;
