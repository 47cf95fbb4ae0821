// POST /api/templates/:id/duplicate — a copy of a template, named "… (copy)".
import { withUser } from "@/lib/api/handler";
import { duplicateTemplate } from "@/lib/templates/templates";

export const POST = withUser<{ id: string }>(async (_req, { user, params }) =>
  Response.json({ template: await duplicateTemplate(user.id, params.id) }, { status: 201 }),
);
