import "server-only";
import OpenAI from "openai";
import { ApiError } from "@/lib/api/errors";

/** Upstream failures in plain words, with statuses that say whose problem it is. */
export function toAiApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof OpenAI.APIConnectionTimeoutError) {
    return new ApiError("upstream_timeout", "The AI service did not answer in time. Try again.");
  }
  if (error instanceof OpenAI.APIConnectionError) {
    return new ApiError(
      "upstream_error",
      "Cannot reach the AI service. Check OPENAI_BASE_URL and the network.",
    );
  }
  if (error instanceof OpenAI.AuthenticationError || error instanceof OpenAI.PermissionDeniedError) {
    return new ApiError(
      "upstream_error",
      "The AI service rejected SecureVault's API key. Check OPENAI_API_KEY.",
    );
  }
  if (error instanceof OpenAI.RateLimitError) {
    const retryAfter = Number(error.headers?.get("retry-after") ?? NaN);
    return new ApiError("rate_limited", "The AI service is busy (rate limited). Try again in a moment.", {
      retryAfterSeconds: Number.isFinite(retryAfter) ? retryAfter : 20,
    });
  }
  if (error instanceof OpenAI.APIError && typeof error.status === "number") {
    if (error.status >= 500)
      return new ApiError(
        "upstream_error",
        `The AI service is having trouble (${error.status}). Try again later.`,
      );
    return new ApiError("upstream_error", `The AI service refused the request (${error.status}).`);
  }
  return new ApiError("upstream_error", "The AI request failed. Try again.");
}
