import { z } from "zod";

const text = (max: number, label: string) =>
  z.string().max(max, `${label} must be at most ${max} characters.`);

/** "Use the attached files": the message's uploaded files, by id (each the user's own, checked by the route). */
const attachmentIds = z.array(z.string().min(1).max(100)).max(20, "At most 20 files.").optional();

export const tones = ["neutral", "formal", "friendly", "direct", "warm"] as const;
export const lengths = ["short", "medium", "long"] as const;
export const rewriteModes = ["shorter", "longer", "formal", "friendly", "fix", "translate"] as const;

export const draftRequest = z.object({
  instruction: text(2000, "The instruction").trim().min(1, "Say what the email should be about."),
  tone: z.enum(tones).default("neutral"),
  length: z.enum(lengths).default("medium"),
  language: text(40, "The language").trim().optional(),
  /** The mail being replied to, if any: passed to the model as data only. */
  quoted: text(20_000, "The quoted mail").optional(),
  attachmentIds,
});

export const rewriteRequest = z
  .object({
    text: text(20_000, "The text").trim().min(1, "Select the text to rewrite."),
    mode: z.enum(rewriteModes, { error: "Choose how to rewrite." }),
    language: text(40, "The language").trim().optional(),
    attachmentIds,
  })
  .refine((v) => v.mode !== "translate" || !!v.language, {
    path: ["language"],
    message: "Choose a language to translate into.",
  });

export const subjectsRequest = z.object({
  body: text(20_000, "The message").trim().min(1, "Write the message first."),
});

export const checkRequest = z.object({
  subject: text(998, "The subject"),
  body: text(50_000, "The message"),
  attachments: z.number().int().min(0).max(100).default(0),
  quoted: text(20_000, "The quoted mail").optional(),
});

export type DraftRequest = z.infer<typeof draftRequest>;
export type RewriteRequest = z.infer<typeof rewriteRequest>;
export type CheckRequest = z.infer<typeof checkRequest>;

export const findingKinds = [
  "tone",
  "sentiment",
  "missing_attachment",
  "unanswered_question",
  "placeholder",
] as const;
export type Finding = {
  kind: (typeof findingKinds)[number];
  message: string;
  /** A one-click fix: replace `find` with `replace` in the message. */
  fix?: { find: string; replace: string };
};

/** A variable name as templates write it (a CSV column's name: lib/templates/render.ts variableNameOf). */
const variableName = z
  .string()
  .regex(/^[a-z_][a-z0-9_]*$/, "A variable name is lowercase letters, digits and _.");

export const templateDraftRequest = z.object({
  instruction: text(2000, "The instruction").trim().min(1, "Say what the template should be about."),
  /** The columns the template may use. */
  variables: z.array(variableName.max(100)).max(100, "At most 100 variables.").default([]),
  tone: z.enum(tones).default("neutral"),
  language: text(40, "The language").trim().optional(),
});
export type TemplateDraftRequest = z.infer<typeof templateDraftRequest>;

export const templateSubjectsRequest = z.object({
  html: text(200_000, "The template").trim().min(1, "Write the template's body first."),
  variables: z.array(variableName.max(100)).max(100, "At most 100 variables.").default([]),
});
export type TemplateSubjectsRequest = z.infer<typeof templateSubjectsRequest>;
