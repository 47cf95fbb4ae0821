// Queues many messages straight into the outbox, the way the send path stores them: for tests that need a
// large queue (crash, several workers) without going through the API one message at a time.
import { randomUUID } from "node:crypto";
import { newTimeOrderedId } from "@/lib/db/ids";
import { insertMessage } from "@/lib/messages/insert-batcher";

/** `count` messages, one recipient each; `tag` starts each Message-ID and is the subject and search text. */
export async function queueBulkMessages(opts: {
  userId: string;
  senderId: string;
  fromEmail: string;
  count: number;
  tag: string;
}): Promise<void> {
  const now = new Date();
  const domain = opts.fromEmail.split("@")[1];
  await Promise.all(
    Array.from({ length: opts.count }, (_, i) =>
      insertMessage({
        id: newTimeOrderedId(),
        userId: opts.userId,
        senderId: opts.senderId,
        idempotencyKey: randomUUID(),
        requestHash: "h",
        messageIdHeader: `<${opts.tag}-${i}-${randomUUID()}@${domain}>`,
        fromName: null,
        fromEmail: opts.fromEmail,
        to: [{ address: `r${i}@example.com` }],
        cc: [],
        bcc: [],
        recipientCount: 1,
        subject: `${opts.tag} ${i}`,
        html: "<p>x</p>",
        searchText: opts.tag,
        status: "queued",
        attempts: 0,
        nextAttemptAt: now,
        sendAt: null,
        createdAt: now,
      }),
    ),
  );
}
