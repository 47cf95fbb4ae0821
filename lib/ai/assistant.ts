import "server-only";
import { z } from "zod";
import { aiConfigured, getAiClientOrThrow } from "@/lib/ai/client";
import { toAiApiError } from "@/lib/ai/errors";
import { ApiError } from "@/lib/api/errors";
import { env } from "@/lib/env";
import { completeJson, streamCompletion } from "@/lib/ai/complete";
import { localFindings } from "@/lib/ai/local-checks";
import { checkMessages, draftMessages, rewriteMessages, subjectMessages } from "@/lib/ai/prompts";
import { loadAttachedMaterial } from "@/lib/ai/attached-files-load";
import { assertAiAllowed, countAiFailure, estimateTokens, recordAiUsage } from "@/lib/ai/usage";
import type { CheckRequest, DraftRequest, Finding, RewriteRequest } from "@/lib/validation/ai";

export async function streamDraft(
  userId: string,
  input: DraftRequest,
  signal: AbortSignal,
): Promise<Response> {
  await assertAiAllowed(userId);
  // After the rate limit: reading files is work a flood of requests should not get for free.
  const files = input.attachmentIds?.length
    ? await loadAttachedMaterial(userId, input.attachmentIds)
    : undefined;
  return streamCompletion({ userId, feature: "draft", messages: draftMessages(input, files), signal });
}

export async function streamRewrite(
  userId: string,
  input: RewriteRequest,
  signal: AbortSignal,
): Promise<Response> {
  await assertAiAllowed(userId);
  // After the rate limit: reading files is work a flood of requests should not get for free.
  const files = input.attachmentIds?.length
    ? await loadAttachedMaterial(userId, input.attachmentIds)
    : undefined;
  return streamCompletion({ userId, feature: "rewrite", messages: rewriteMessages(input, files), signal });
}

const subjectsAnswer = z.object({ subjects: z.array(z.string().trim().min(1).max(200)).min(1) });

export async function suggestSubjects(userId: string, body: string, signal: AbortSignal): Promise<string[]> {
  await assertAiAllowed(userId);
  const { subjects } = await completeJson(
    { userId, feature: "subjects", messages: subjectMessages(body), signal },
    subjectsAnswer,
  );
  // Subjects become a header: one line each, and three of them.
  return subjects.map((s) => s.replace(/[\r\n]+/g, " ").slice(0, 200)).slice(0, 3);
}

const checkAnswer = z.object({
  findings: z
    .array(
      z.object({
        kind: z.enum(["tone", "sentiment", "unanswered_question"]),
        message: z.string().min(1).max(500),
        fix: z.object({ find: z.string().min(1).max(2000), replace: z.string().max(2000) }).optional(),
      }),
    )
    .max(10),
});

/**
 * The pre-send check: placeholders and a missing attachment are found locally (always); tone, sentiment and
 * unanswered questions come from the model when AI is configured. A fix is kept only if its text is really
 * in the message.
 */
export async function preSendCheck(
  userId: string,
  input: CheckRequest,
  signal: AbortSignal,
): Promise<{ findings: Finding[]; ai: boolean }> {
  const findings = localFindings(input);
  if (!aiConfigured() || !input.body.trim()) return { findings, ai: false };
  await assertAiAllowed(userId);
  const answer = await completeJson(
    {
      userId,
      feature: "check",
      messages: checkMessages({ subject: input.subject, body: input.body, quoted: input.quoted }),
      signal,
    },
    checkAnswer,
  );
  for (const f of answer.findings) {
    findings.push({
      kind: f.kind,
      message: f.message,
      fix: f.fix && input.body.includes(f.fix.find) ? f.fix : undefined,
    });
  }
  return { findings, ai: true };
}

const MAX_AUDIO_BYTES = 10 * 1024 * 1024;

/** Dictation through OpenAI transcription, for browsers without speech recognition. */
export async function transcribeAudio(userId: string, audio: File, signal: AbortSignal): Promise<string> {
  if (!audio.type.startsWith("audio/")) {
    throw new ApiError("unsupported_media_type", "Send an audio recording.", {
      fields: { audio: ["Not an audio file."] },
    });
  }
  if (audio.size > MAX_AUDIO_BYTES) {
    throw new ApiError("payload_too_large", "Recordings can be at most 10 MB; dictate in shorter pieces.");
  }
  await assertAiAllowed(userId);
  const startedAt = performance.now();
  let text: string;
  try {
    const result = await getAiClientOrThrow().audio.transcriptions.create(
      { file: audio, model: env.OPENAI_TRANSCRIBE_MODEL },
      { signal },
    );
    text = result.text;
  } catch (error) {
    countAiFailure("transcribe");
    throw toAiApiError(error);
  }
  await recordAiUsage(
    userId,
    "transcribe",
    { promptTokens: Math.ceil(audio.size / 1000), completionTokens: estimateTokens(text) },
    { startedAt },
  );
  return text.replace(/\s+/g, " ").trim();
}
