import "server-only";
import { randomUUID } from "node:crypto";
import { ApiError } from "@/lib/api/errors";
import { parseBody, validationError } from "@/lib/api/handler";
import { db } from "@/lib/db/client";
import { enqueueMessage, type EnqueueResult } from "@/lib/messages/enqueue";
import { MAX_BODY_BYTES, sendMessageBody } from "@/lib/validation/messages";
import { z } from "zod";

/** The v1 send body: the app's send body, without the key (it travels in the Idempotency-Key header). */
export const v1SendMessageBody = z.record(z.string(), z.unknown());

const idempotencyKeyHeader = z.uuid(
  "The Idempotency-Key header must be a UUID (such as one from crypto.randomUUID()).",
);

/**
 * POST /api/v1/messages: the app's send service with its idempotency. The Idempotency-Key header takes the
 * place of the body's key: the same key and body give the same answer (200, replayed), the same key with
 * another body a 409. Without the header every request is a new message.
 */
export async function sendThroughApi(req: Request, userId: string): Promise<EnqueueResult> {
  const header = req.headers.get("idempotency-key");
  if (header !== null && !idempotencyKeyHeader.safeParse(header.trim()).success) {
    throw new ApiError("validation_failed", "The Idempotency-Key header must be a UUID.", {
      fields: { "Idempotency-Key": ["Must be a UUID, such as one from crypto.randomUUID()."] },
    });
  }
  const raw = await parseBody(req, v1SendMessageBody, { maxBytes: MAX_BODY_BYTES + 256 * 1024 });
  if ("idempotencyKey" in raw) {
    throw new ApiError("validation_failed", "Send the idempotency key in the Idempotency-Key header.", {
      fields: { idempotencyKey: ["Not part of the body in /api/v1; use the Idempotency-Key header."] },
    });
  }
  const parsed = sendMessageBody.safeParse({ ...raw, idempotencyKey: header?.trim() ?? randomUUID() });
  if (!parsed.success) throw validationError(parsed.error);
  const user = await db.user.findUnique({
    where: { id: userId },
    select: { id: true, undoSendSeconds: true },
  });
  if (!user) throw new ApiError("unauthorized", "The account of this API key no longer exists.");
  return enqueueMessage(user, parsed.data);
}
