import { estimatedMessageSize, formatSize } from "@/lib/attachments/encoded-size";
import type { MessageSizeLimit } from "@/lib/attachments/size-limits";

/**
 * Why the message cannot go through the chosen sender, counted as the server counts it
 * (lib/messages/enqueue.ts): null when it fits or carries no files.
 */
export function messageSizeProblem(
  htmlBytes: number,
  fileSizes: readonly number[],
  limit: MessageSizeLimit | undefined,
): string | null {
  if (!limit || fileSizes.length === 0) return null;
  const size = estimatedMessageSize(htmlBytes, fileSizes);
  if (size <= limit.bytes) return null;
  return (
    `This message comes to about ${formatSize(size)} once encoded; ${limit.provider} takes messages up to ` +
    `${formatSize(limit.bytes)}. Remove a file or send a link instead.`
  );
}
