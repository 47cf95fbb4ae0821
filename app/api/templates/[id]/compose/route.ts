// GET /api/templates/:id/compose — a saved template as one message for Compose (defaults filled, the rest left as tags).
import { withUser } from "@/lib/api/handler";
import { fillTemplateForCompose } from "@/lib/templates/templates";

export const GET = withUser<{ id: string }>(async (_req, { user, params }) =>
  Response.json(await fillTemplateForCompose(user.id, params.id)),
);
