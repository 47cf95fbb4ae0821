// GET, PATCH, DELETE /api/v1/templates/:id — one of the account's merge templates.
import { parseBody } from "@/lib/api/handler";
import { withApiKey } from "@/lib/api-v1/handler";
import { deleteTemplate, getTemplateOrThrow, updateTemplate } from "@/lib/templates/templates";
import { templatePatch } from "@/lib/validation/templates";

type Params = { id: string };

export const GET = withApiKey<Params>("templates:manage", async (_req, { principal, params }) =>
  Response.json({ template: await getTemplateOrThrow(principal.userId, params.id) }),
);

export const PATCH = withApiKey<Params>("templates:manage", async (req, { principal, params }) => {
  const patch = await parseBody(req, templatePatch, { maxBytes: 6 * 1024 * 1024 });
  return Response.json({ template: await updateTemplate(principal.userId, params.id, patch) });
});

export const DELETE = withApiKey<Params>("templates:manage", async (_req, { principal, params }) => {
  await deleteTemplate(principal.userId, params.id);
  return new Response(null, { status: 204 });
});
