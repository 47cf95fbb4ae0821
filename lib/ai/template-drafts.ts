import "server-only";
// AI for merge templates: a template drafted from an instruction, and subject lines for one. Whatever the model
// answers is a template only if our engine takes it: sanitised as a saved template is, then parsed by Liquid
// (lib/templates/render.ts). An answer that does not parse is refused with the engine's reason (502): nothing
// is saved by these calls, and nothing the engine refuses reaches the editor.
import { z } from "zod";
import { completeJson } from "@/lib/ai/complete";
import { templateDraftMessages, templateSubjectMessages } from "@/lib/ai/prompts";
import { assertAiAllowed } from "@/lib/ai/usage";
import { ApiError } from "@/lib/api/errors";
import { sanitizeEmailHtml } from "@/lib/mail/sanitize";
import { compileTemplate, TemplateError } from "@/lib/templates/render";
import type { TemplateDraftRequest, TemplateSubjectsRequest } from "@/lib/validation/ai";

export type DraftedTemplate = {
  name: string;
  subject: string;
  html: string;
  variables: string[];
  /** Variables the draft reads that are not among the columns given: worth a look before saving. */
  unknownVariables: string[];
};

const draftAnswer = z.object({
  name: z.string().trim().min(1).max(200),
  subject: z.string().trim().max(998),
  html: z.string().trim().min(1).max(200_000),
});

export async function draftTemplate(
  userId: string,
  input: TemplateDraftRequest,
  signal: AbortSignal,
): Promise<DraftedTemplate> {
  await assertAiAllowed(userId);
  const answer = await completeJson(
    { userId, feature: "template", messages: templateDraftMessages(input), signal },
    draftAnswer,
  );
  const subject = oneLine(answer.subject);
  const html = sanitizeEmailHtml(answer.html);
  const variables = variablesOrThrow({ subject, html });
  return {
    name: oneLine(answer.name),
    subject,
    html,
    variables,
    unknownVariables: input.variables.length ? variables.filter((v) => !input.variables.includes(v)) : [],
  };
}

const subjectsAnswer = z.object({ subjects: z.array(z.string().trim().min(1).max(200)).min(1).max(10) });

/** Up to three subject lines, each one a subject our engine parses; those it refuses are left out. */
export async function suggestTemplateSubjects(
  userId: string,
  input: TemplateSubjectsRequest,
  signal: AbortSignal,
): Promise<string[]> {
  await assertAiAllowed(userId);
  const { subjects } = await completeJson(
    { userId, feature: "template_subjects", messages: templateSubjectMessages(input), signal },
    subjectsAnswer,
  );
  const usable = subjects.map(oneLine).filter((subject) => {
    try {
      compileTemplate({ subject, html: "" });
      return true;
    } catch {
      return false;
    }
  });
  if (usable.length === 0) {
    throw new ApiError(
      "upstream_error",
      "The AI suggested no subject line our templates can use. Try again.",
    );
  }
  return usable.slice(0, 3);
}

function variablesOrThrow(template: { subject: string; html: string }): string[] {
  try {
    return compileTemplate(template).variables;
  } catch (error) {
    if (error instanceof TemplateError) {
      throw new ApiError(
        "upstream_error",
        `The AI wrote a template that cannot be used (${error.message}). Nothing was changed; try again or reword the instruction.`,
      );
    }
    throw error;
  }
}

/** A subject or name is one header line. */
const oneLine = (s: string) => s.replace(/[\r\n]+/g, " ").trim();
