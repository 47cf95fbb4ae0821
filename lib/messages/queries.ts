import "server-only";
import { toAttachmentSummary } from "@/lib/attachments/attachments";
import { ApiError } from "@/lib/api/errors";
import { db } from "@/lib/db/client";
import {
  toMessageDetail,
  toMessageSummary,
  type MessageDetail,
  type MessageSummary,
} from "@/lib/messages/message-view";
import type { z } from "zod";
import type { listMessagesQuery } from "@/lib/validation/messages";

export type MessagePage = { items: MessageSummary[]; nextCursor: string | null };

/** The user's messages, newest first, with keyset pagination and search over subject and recipients. */
export async function listMessages(
  userId: string,
  query: z.infer<typeof listMessagesQuery>,
): Promise<MessagePage> {
  const rows = await db.message.findMany({
    where: {
      userId,
      status: query.status,
      searchText: query.q ? { contains: query.q.toLowerCase() } : undefined,
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    cursor: query.cursor ? { id: query.cursor } : undefined,
    skip: query.cursor ? 1 : 0,
    take: query.limit + 1,
    include: { sender: { select: { kind: true } } },
  });
  const items = rows.slice(0, query.limit).map(toMessageSummary);
  return { items, nextCursor: rows.length > query.limit ? (items.at(-1)?.id ?? null) : null };
}

/** One of the user's messages with its timeline; 404 when missing or someone else's. */
export async function getMessageOrThrow(userId: string, id: string): Promise<MessageDetail> {
  const message = await db.message.findFirst({
    where: { id, userId },
    include: {
      events: { orderBy: { createdAt: "asc" } },
      sender: { select: { kind: true } },
      attachments: { orderBy: { position: "asc" }, include: { attachment: true } },
    },
  });
  if (!message) throw new ApiError("not_found", "Message not found.");
  return toMessageDetail(
    message,
    message.attachments.map((l) => toAttachmentSummary(l.attachment)),
  );
}
