import { z } from "zod";

// A browser's PushSubscription as `subscription.toJSON()` gives it, and the notification preferences.
// Whether an endpoint may be used at all (https, public host) is decided on the server: lib/push/endpoint-policy.ts.

/** base64url of exactly `bytes` bytes; padding is tolerated because some browsers add it. */
const base64url = (bytes: number, what: string) =>
  z
    .string({ error: `Enter ${what}.` })
    .transform((v) => v.replace(/=+$/, ""))
    .refine(
      (v) => /^[A-Za-z0-9_-]*$/.test(v) && v.length === Math.ceil((bytes * 4) / 3),
      `Must be ${what}: ${bytes} bytes, base64url-encoded.`,
    );

export const pushSubscriptionBody = z.object({
  endpoint: z
    .string({ error: "Enter the subscription's endpoint URL." })
    .trim()
    .max(2048, "The endpoint URL must be at most 2048 characters.")
    .pipe(z.url({ protocol: /^https?$/, error: "The endpoint must be an https URL." })),
  expirationTime: z.number().nullable().optional(),
  keys: z.object(
    {
      // An uncompressed P-256 point starts with the byte 0x04, which base64url writes as "B".
      p256dh: base64url(65, "the browser's P-256 public key").refine(
        (v) => v.startsWith("B"),
        "Must be an uncompressed P-256 public key.",
      ),
      auth: base64url(16, "the browser's authentication secret"),
    },
    { error: "Send the subscription's keys (p256dh and auth)." },
  ),
});

export type PushSubscriptionBody = z.infer<typeof pushSubscriptionBody>;

export const pushPreferences = z.object({
  delivered: z.boolean(),
  failed: z.boolean(),
  retrying: z.boolean(),
});

export type PushPreferences = z.infer<typeof pushPreferences>;

export const updatePushPreferencesBody = pushPreferences
  .partial()
  .strict()
  .refine((v) => Object.keys(v).length > 0, "Send at least one of delivered, failed, retrying.");
