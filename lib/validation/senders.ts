import { z } from "zod";
import { emailAddress, headerText } from "@/lib/validation/common";

const preset = z.enum(["gmail", "outlook", "yahoo", "custom"], { error: "Choose a provider." });
const security = z.enum(["tls", "starttls", "none"], { error: "Choose SSL/TLS, STARTTLS or none." });
const hostname = z
  .string()
  .trim()
  .min(1, "Enter the SMTP server's host name.")
  .max(253, "That host name is too long.")
  .regex(/^[A-Za-z0-9.-]+$|^\[?[0-9a-fA-F:.]+\]?$/, "Enter a host name such as smtp.example.com.");
const port = z.coerce
  .number({ error: "Enter a port number." })
  .int("Enter a whole port number.")
  .min(1, "Ports go from 1 to 65535.")
  .max(65535, "Ports go from 1 to 65535.");

// Overrides of the provider's sending limits; null goes back to the preset's.
const limitFields = {
  maxConnections: z
    .number({ error: "Connections must be a number." })
    .int("Connections must be a whole number.")
    .min(1, "At least 1 connection.")
    .max(20, "At most 20 connections.")
    .nullable()
    .optional(),
  maxPerSecond: z
    .number({ error: "Messages per second must be a number." })
    .positive("Messages per second must be above 0.")
    .max(1000, "At most 1000 messages per second.")
    .nullable()
    .optional(),
  maxPerDay: z
    .number({ error: "Messages per day must be a number." })
    .int("Messages per day must be a whole number.")
    .min(1, "At least 1 message per day.")
    .max(1_000_000, "At most 1,000,000 messages per day.")
    .nullable()
    .optional(),
};

const senderFields = {
  ...limitFields,
  label: headerText(100, "Label").trim().optional(),
  fromName: headerText(100, "Name").trim().optional(),
  fromEmail: emailAddress,
  username: headerText(254, "Username").trim().optional(),
  host: hostname.optional(),
  port: port.optional(),
  security: security.optional(),
};

export const createSenderBody = z
  .object({
    preset,
    ...senderFields,
    password: z.string({ error: "Enter the password." }).min(1, "Enter the password.").max(1024),
  })
  .superRefine(requireCustomServer);

export const updateSenderBody = z
  .object({
    ...senderFields,
    fromEmail: emailAddress.optional(),
    // Absent or empty keeps the stored password.
    password: z.string().max(1024).optional(),
  })
  .strict();

export type CreateSenderBody = z.infer<typeof createSenderBody>;
export type UpdateSenderBody = z.infer<typeof updateSenderBody>;

function requireCustomServer(
  value: { preset: string; host?: string; port?: number; security?: string },
  ctx: z.RefinementCtx,
) {
  if (value.preset !== "custom") return;
  if (!value.host)
    ctx.addIssue({ code: "custom", path: ["host"], message: "Enter the SMTP server's host name." });
  if (!value.port) ctx.addIssue({ code: "custom", path: ["port"], message: "Enter a port number." });
  if (!value.security)
    ctx.addIssue({ code: "custom", path: ["security"], message: "Choose SSL/TLS, STARTTLS or none." });
}

/** PUT /api/senders/:id/dkim: a selector, and a private key to import (PEM) or none to have one generated. */
export const senderDkimBody = z.object({
  selector: z
    .string({ error: "Enter a selector, such as sv1." })
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/, {
      error: "A selector is letters, digits and hyphens (dots between parts), such as sv1 or mail-2026.",
    })
    .max(63, { error: "A selector is at most 63 characters." }),
  privateKey: z
    .string()
    .trim()
    .max(10_000, { error: "That is not a DKIM private key (too long)." })
    .regex(/^-----BEGIN (RSA )?PRIVATE KEY-----[\s\S]+-----END (RSA )?PRIVATE KEY-----$/, {
      error: "Paste the private key in PEM form (-----BEGIN PRIVATE KEY----- …).",
    })
    .optional(),
});
export type SenderDkimBody = z.infer<typeof senderDkimBody>;
