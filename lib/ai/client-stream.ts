// Browser side of the streamed AI routes: posts the request and hands each piece of text to onDelta.
import { ApiClientError } from "@/lib/api/client";
import type { ApiErrorBody } from "@/lib/api/error-body";

export async function streamAi(
  path: string,
  body: unknown,
  { signal, onDelta }: { signal: AbortSignal; onDelta: (text: string) => void },
): Promise<void> {
  let res: Response;
  try {
    res = await fetch(path, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
      signal,
    });
  } catch {
    if (signal.aborted) return;
    throw new ApiClientError("Cannot reach SecureVault. Check your connection.", 0, "network_error");
  }
  if (!res.ok || !res.body) {
    const data = (await res.json().catch(() => null)) as Partial<ApiErrorBody> | null;
    throw new ApiClientError(
      data?.error?.message ?? `AI request failed (${res.status}).`,
      res.status,
      data?.error?.code ?? "http_error",
      data?.error?.fields,
    );
  }
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      buffer += value;
      let end: number;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1] ?? "message";
        const data = JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? "{}") as {
          delta?: string;
          message?: string;
        };
        if (event === "error")
          throw new ApiClientError(data.message ?? "The AI answer broke off.", 502, "upstream_error");
        if (event === "done") return;
        if (data.delta) onDelta(data.delta);
      }
    }
  } catch (error) {
    if (signal.aborted) return;
    throw error;
  }
}
