import { z } from "zod";
import { MAX_BODY_BYTES, MAX_SUBJECT_CHARS } from "@/lib/validation/messages";
import { headerText } from "@/lib/validation/common";

export const templateBody = z.object({
  name: z.string().trim().min(1, "Give the template a name.").max(200, "A name is at most 200 characters."),
  subject: headerText(MAX_SUBJECT_CHARS, "The subject").default(""),
  html: z
    .string()
    .default("")
    .refine((v) => Buffer.byteLength(v, "utf8") <= MAX_BODY_BYTES, {
      message: "The template body is larger than 5 MB.",
      params: { tooLarge: true },
    }),
});
export type TemplateBody = z.infer<typeof templateBody>;

export const templatePatch = templateBody.partial();
export type TemplatePatch = z.infer<typeof templatePatch>;

/** A preview: the template (saved or not) filled from the given values. */
export const templatePreviewBody = z.object({
  subject: headerText(MAX_SUBJECT_CHARS, "The subject").default(""),
  html: z.string().max(MAX_BODY_BYTES).default(""),
  values: z.record(z.string().max(200), z.string().max(10_000)).default({}),
});
