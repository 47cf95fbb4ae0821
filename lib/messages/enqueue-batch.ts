import "server-only";
import { validationError } from "@/lib/api/handler";
import { toErrorBody } from "@/lib/api/errors";
import type { ApiErrorBody } from "@/lib/api/error-body";
import type { PublicUser } from "@/lib/auth/users";
import { enqueueMessage } from "@/lib/messages/enqueue";
import type { MessageSummary } from "@/lib/messages/message-view";
import { sendMessageBody } from "@/lib/validation/messages";

/** One message's answer in a batch: what POST /api/messages would have answered for it alone. */
export type BatchItemResult =
  | { status: 200 | 202; message: MessageSummary; replayed: boolean }
  | { status: number; error: ApiErrorBody["error"] };

/**
 * Enqueues each message as POST /api/messages would, all at once (their INSERTs share the group commit), and
 * answers for each in the order given. One per-request cost (session, routing) for a whole replayed outbox:
 * a hundred messages sent offline reach the server in a few requests instead of a hundred.
 */
export async function enqueueBatch(
  user: Pick<PublicUser, "id" | "undoSendSeconds">,
  messages: unknown[],
): Promise<BatchItemResult[]> {
  return Promise.all(
    messages.map(async (raw): Promise<BatchItemResult> => {
      try {
        const parsed = sendMessageBody.safeParse(raw);
        if (!parsed.success) throw validationError(parsed.error);
        const { message, replayed } = await enqueueMessage(user, parsed.data);
        return { status: replayed ? 200 : 202, message, replayed };
      } catch (error) {
        const { status, body } = toErrorBody(error);
        return { status, error: body.error };
      }
    }),
  );
}
