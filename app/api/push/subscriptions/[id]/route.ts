// DELETE /api/push/subscriptions/:id — stop notifying one of the user's devices (404 for anyone else's).
import { withUser } from "@/lib/api/handler";
import { deletePushDevice } from "@/lib/push/subscriptions";

export const DELETE = withUser<{ id: string }>(async (_req, { user, params }) => {
  await deletePushDevice(user.id, params.id);
  return new Response(null, { status: 204 });
});
