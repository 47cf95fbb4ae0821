// GET /api/ai/status — whether AI is configured, the model, and the user's token usage.
import { withUser } from "@/lib/api/handler";
import { aiConfigured } from "@/lib/ai/client";
import { usageSummary } from "@/lib/ai/usage";
import { env } from "@/lib/env";

export const GET = withUser(async (_req, { user }) =>
  Response.json({ configured: aiConfigured(), model: env.OPENAI_MODEL, usage: await usageSummary(user.id) }),
);
