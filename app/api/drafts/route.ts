// GET /api/drafts — the user's drafts kept on the server, newest first (every device syncs from this list).
import { withUser } from "@/lib/api/handler";
import { listDrafts } from "@/lib/drafts/drafts";

export const GET = withUser(async (_req, { user }) => Response.json({ drafts: await listDrafts(user.id) }));
