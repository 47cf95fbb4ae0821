import { z } from "zod";

const text = (max: number, label: string) =>
  z.string().max(max, `${label} must be at most ${max} characters.`);

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
});

export const rewriteRequest = z
  .object({
    text: text(20_000, "The text").trim().min(1, "Select the text to rewrite."),
    mode: z.enum(rewriteModes, { error: "Choose how to rewrite." }),
    language: text(40, "The language").trim().optional(),
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
