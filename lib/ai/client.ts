import "server-only";
import OpenAI from "openai";
import { ApiError } from "@/lib/api/errors";
import { env } from "@/lib/env";
import { processSingleton } from "@/lib/server/singleton";

export function aiConfigured(): boolean {
  return !!env.OPENAI_API_KEY;
}

/** The OpenAI (or OpenAI-compatible, via OPENAI_BASE_URL) client; 503 with how to enable it when unset. */
export function getAiClientOrThrow(): OpenAI {
  if (!env.OPENAI_API_KEY) {
    throw new ApiError(
      "not_configured",
      "AI is not configured. Set OPENAI_API_KEY (and OPENAI_BASE_URL for an OpenAI-compatible server) and restart.",
    );
  }
  const apiKey = env.OPENAI_API_KEY;
  return processSingleton(
    "ai",
    () =>
      new OpenAI({
        apiKey,
        baseURL: env.OPENAI_BASE_URL,
        timeout: env.AI_TIMEOUT_MS,
        maxRetries: 0, // the user is waiting: fail fast and say why
      }),
  );
}
