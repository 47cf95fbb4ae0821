// DELETE /api/suppressions/:id — lets later campaigns send to the address again.
import { withUser } from "@/lib/api/handler";
import { removeSuppression } from "@/lib/campaigns/suppressions";

export const DELETE = withUser<{ id: string }>(async (_req, { user, params }) => {
  await removeSuppression(user.id, params.id);
  return new Response(null, { status: 204 });
});
