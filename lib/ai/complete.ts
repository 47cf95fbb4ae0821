import "server-only";
import type { ChatCompletionMessageParam } from "openai/resources/chat/completions";
import type { z } from "zod";
import { IMAGE_TOKEN_ESTIMATE } from "@/lib/ai/attached-files";
import { getAiClientOrThrow } from "@/lib/ai/client";
import { toAiApiError } from "@/lib/ai/errors";
import { countAiFailure, estimateTokens, recordAiUsage, type AiFeature } from "@/lib/ai/usage";
import { env } from "@/lib/env";
import { log } from "@/lib/log/logger";

/**
 * The prompt's tokens when the upstream does not report them: text by length, each image a fixed amount (its
 * base64 bytes are not text the model reads).
 */
export function estimatePromptTokens(messages: ChatCompletionMessageParam[]): number {
  let tokens = 0;
  for (const m of messages) {
    if (typeof m.content === "string") tokens += estimateTokens(m.content);
    else if (Array.isArray(m.content))
      for (const part of m.content)
        tokens += part.type === "text" ? estimateTokens(part.text) : IMAGE_TOKEN_ESTIMATE;
  }
  return tokens;
}

type Call = {
  userId: string;
  feature: AiFeature;
  messages: ChatCompletionMessageParam[];
  signal: AbortSignal;
};

/**
 * Streams the model's answer to the browser as server-sent events: `data: {"delta": "…"}` per piece, then
 * `event: done`, or `event: error` with a message. When the browser goes away, the upstream request is aborted.
 */
export async function streamCompletion({ userId, feature, messages, signal }: Call): Promise<Response> {
  const client = getAiClientOrThrow();
  const startedAt = performance.now();
  let upstream;
  try {
    upstream = await client.chat.completions.create(
      { model: env.OPENAI_MODEL, messages, stream: true, stream_options: { include_usage: true } },
      { signal },
    );
  } catch (error) {
    countAiFailure(feature);
    throw toAiApiError(error);
  }
  let outcome: "completed" | "error" | "cancelled" = "completed";

  const encoder = new TextEncoder();
  const send = (
    controller: ReadableStreamDefaultController<Uint8Array>,
    event: string | null,
    data: unknown,
  ) =>
    controller.enqueue(
      encoder.encode(`${event ? `event: ${event}\n` : ""}data: ${JSON.stringify(data)}\n\n`),
    );
  let text = "";
  let usage: { prompt_tokens: number; completion_tokens: number } | undefined;

  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      try {
        for await (const chunk of upstream) {
          const delta = chunk.choices[0]?.delta?.content;
          if (delta) {
            text += delta;
            send(controller, null, { delta });
          }
          if (chunk.usage) usage = chunk.usage;
        }
        send(controller, "done", {});
      } catch (error) {
        outcome = signal.aborted ? "cancelled" : "error";
        if (!signal.aborted) send(controller, "error", { message: toAiApiError(error).message });
      } finally {
        await recordAiUsage(
          userId,
          feature,
          {
            promptTokens: usage?.prompt_tokens ?? estimatePromptTokens(messages),
            completionTokens: usage?.completion_tokens ?? estimateTokens(text),
          },
          { outcome, startedAt },
        ).catch((error) => log.error({ err: error }, "could not record AI usage"));
        try {
          controller.close();
        } catch {
          // Already closed because the browser went away.
        }
      }
    },
    cancel() {
      upstream.controller.abort();
    },
  });

  return new Response(body, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      "x-accel-buffering": "no",
    },
  });
}

/** One JSON answer, validated; the model is asked for a JSON object and anything else counts as a failure. */
export async function completeJson<S extends z.ZodType>(
  { userId, feature, messages, signal }: Call,
  schema: S,
): Promise<z.infer<S>> {
  const client = getAiClientOrThrow();
  const startedAt = performance.now();
  let completion;
  try {
    completion = await client.chat.completions.create(
      { model: env.OPENAI_MODEL, messages, response_format: { type: "json_object" } },
      { signal },
    );
  } catch (error) {
    countAiFailure(feature);
    throw toAiApiError(error);
  }
  const content = completion.choices[0]?.message?.content ?? "";
  await recordAiUsage(
    userId,
    feature,
    {
      promptTokens: completion.usage?.prompt_tokens ?? estimatePromptTokens(messages),
      completionTokens: completion.usage?.completion_tokens ?? estimateTokens(content),
    },
    { startedAt },
  );
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch {
    throw toAiApiError(new Error("The AI answer was not JSON"));
  }
  const result = schema.safeParse(parsed);
  if (!result.success) throw toAiApiError(new Error("The AI answer had an unexpected shape"));
  return result.data;
}
