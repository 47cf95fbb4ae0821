// GET, PATCH, DELETE /api/templates/:id — one of the user's merge templates.
import { parseBody, withUser } from "@/lib/api/handler";
import { deleteTemplate, getTemplateOrThrow, updateTemplate } from "@/lib/templates/templates";
import { templatePatch } from "@/lib/validation/templates";

type Params = { id: string };

export const GET = withUser<Params>(async (_req, { user, params }) =>
  Response.json({ template: await getTemplateOrThrow(user.id, params.id) }),
);

export const PATCH = withUser<Params>(async (req, { user, params }) => {
  const patch = await parseBody(req, templatePatch, { maxBytes: 6 * 1024 * 1024 });
  return Response.json({ template: await updateTemplate(user.id, params.id, patch) });
});

export const DELETE = withUser<Params>(async (_req, { user, params }) => {
  await deleteTemplate(user.id, params.id);
  return new Response(null, { status: 204 });
});
