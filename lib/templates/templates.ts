import "server-only";
import { ApiError } from "@/lib/api/errors";
import { db } from "@/lib/db/client";
import { sanitizeEmailHtml } from "@/lib/mail/sanitize";
import {
  compileTemplate,
  liquidMarkupInHtml,
  renderTemplate,
  TemplateError,
  variablesShownWithoutDefault,
} from "@/lib/templates/render";
import type { TemplateBody, TemplatePatch } from "@/lib/validation/templates";

export type TemplateView = {
  id: string;
  name: string;
  subject: string;
  html: string;
  variables: string[];
  createdAt: string;
  updatedAt: string;
};

export async function listTemplates(userId: string): Promise<TemplateView[]> {
  const rows = await db.template.findMany({ where: { userId }, orderBy: { updatedAt: "desc" }, take: 500 });
  return rows.map(toView);
}

export async function getTemplateOrThrow(userId: string, id: string): Promise<TemplateView> {
  const row = await db.template.findFirst({ where: { id, userId } });
  if (!row) throw new ApiError("not_found", "Template not found.");
  return toView(row);
}

export async function createTemplate(userId: string, input: TemplateBody): Promise<TemplateView> {
  const clean = checkedTemplate(input);
  return toView(await db.template.create({ data: { userId, name: input.name, ...clean } }));
}

export async function updateTemplate(
  userId: string,
  id: string,
  patch: TemplatePatch,
): Promise<TemplateView> {
  const current = await getTemplateOrThrow(userId, id);
  const clean = checkedTemplate({
    subject: patch.subject ?? current.subject,
    html: patch.html ?? current.html,
  });
  const updated = await db.template.updateMany({
    where: { id, userId },
    data: { name: patch.name ?? current.name, ...clean },
  });
  if (updated.count === 0) throw new ApiError("not_found", "Template not found.");
  return getTemplateOrThrow(userId, id);
}

export async function duplicateTemplate(userId: string, id: string): Promise<TemplateView> {
  const source = await getTemplateOrThrow(userId, id);
  const name = `${source.name} (copy)`.slice(0, 200);
  return toView(
    await db.template.create({ data: { userId, name, subject: source.subject, html: source.html } }),
  );
}

export async function deleteTemplate(userId: string, id: string): Promise<void> {
  const { count } = await db.template.deleteMany({ where: { id, userId } });
  if (count === 0) throw new ApiError("not_found", "Template not found.");
}

/** A saved template made into one message for Compose. */
export type ComposeFill = {
  subject: string;
  html: string;
  /** Variables shown without a default: left in the text as their `{{ name }}` tags, for the user to replace. */
  unfilled: string[];
};

/**
 * A saved template for a one-off message: there is no row, so each default stands in for its variable, and a
 * part under `{% if name %}` is left out. A variable shown without a default is not made empty (a silent "Hi ,"):
 * it stays in the text as its tag, visible, and Compose will not send it unnoticed.
 */
export async function fillTemplateForCompose(userId: string, id: string): Promise<ComposeFill> {
  const template = await getTemplateOrThrow(userId, id);
  const compiled = compileTemplate(template);
  const unfilled = variablesShownWithoutDefault(
    `${template.subject}\n${liquidMarkupInHtml(template.html)}`,
    compiled.variables,
  );
  const values = Object.fromEntries(unfilled.map((v) => [v, `{{ ${v} }}`]));
  return { ...renderTemplate(compiled, values), unfilled };
}

/**
 * The body is sanitised once, as a message body would be, and both parts must parse as Liquid: a template that
 * cannot render is refused when saved (400 naming the part), not found out at send time.
 */
export function checkedTemplate(input: { subject: string; html: string }): { subject: string; html: string } {
  const clean = { subject: input.subject, html: sanitizeEmailHtml(input.html) };
  try {
    compileTemplate(clean);
  } catch (error) {
    if (error instanceof TemplateError) {
      throw new ApiError("validation_failed", error.message, { fields: { [error.part]: [error.message] } });
    }
    throw error;
  }
  return clean;
}

function toView(row: {
  id: string;
  name: string;
  subject: string;
  html: string;
  createdAt: Date;
  updatedAt: Date;
}): TemplateView {
  let variables: string[] = [];
  try {
    variables = compileTemplate(row).variables;
  } catch {
    // Stored templates were checked when saved; an engine upgrade that refuses one still lists it.
  }
  return {
    id: row.id,
    name: row.name,
    subject: row.subject,
    html: row.html,
    variables,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
