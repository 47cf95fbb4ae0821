import { z } from "zod";
import { isNestedTooDeeply, MAX_HTML_DEPTH } from "@/lib/mail/html-depth";
import { MAX_BODY_BYTES } from "@/lib/validation/messages";

export const MAX_SIGNATURE_CHARS = 20_000;

/** PUT /api/senders/:id/signature — a sender's rich-text signature; "" removes it. */
export const signatureBody = z.object({
  html: z
    .string({ error: "The signature is missing." })
    .max(
      MAX_SIGNATURE_CHARS,
      `A signature is at most ${MAX_SIGNATURE_CHARS.toLocaleString("en")} characters.`,
    )
    .refine((html) => !isNestedTooDeeply(html), {
      message: `The signature nests elements more than ${MAX_HTML_DEPTH} levels deep.`,
    }),
});

/** POST /api/messages/preview — a body as the recipient will get it (sanitized HTML and its plain-text part). */
export const previewBody = z.object({
  html: z
    .string({ error: "The message body is missing." })
    .refine(
      (html) => Buffer.byteLength(html, "utf8") <= MAX_BODY_BYTES,
      "The message body is larger than 5 MB.",
    )
    .refine((html) => !isNestedTooDeeply(html), {
      message: `The message body nests elements more than ${MAX_HTML_DEPTH} levels deep.`,
    }),
});
