// The delivery path (API → worker → our SMTP client) wired to the private Postfix of tests/support/postfix.ts,
// with what the Postfix test files ask of it: a user and senders on its listeners, messages enqueued through the
// API, and what arrived in its Maildir.
import { randomUUID } from "node:crypto";
import { expect } from "vitest";
import { GET as getMessage } from "@/app/api/messages/[id]/route";
import { POST as postMessage } from "@/app/api/messages/route";
import { db } from "@/lib/db/client";
import { providerOf } from "@/lib/db/provider";
import { startDeliveryWorker, type DeliveryWorker } from "@/lib/delivery/worker";
import { closeAllPools } from "@/lib/mail/transport";
import { addLoopbackSender, callRoute, signUpUser, type TestUser } from "@/tests/support/api";
import {
  postfixUnavailableReason,
  startPostfix,
  type DeliveredMail,
  type PostfixServer,
} from "@/tests/support/postfix";
import type { TestCertificates } from "@/tests/support/test-certificates";

// Non-ASCII, a line that starts with a dot (dot-stuffing over DATA), a long line: all must arrive unchanged.
export const POSTFIX_TEST_HTML = `<p>Grüße aus <em>Köln</em> — ${"ünïcødé ".repeat(20)}</p>\n<p>.a line that starts with a dot</p>`;

export type PostfixDelivery = {
  postfix: PostfixServer;
  worker: DeliveryWorker;
  user: TestUser;
  /** A custom sender of the user's on one of Postfix's listeners, signing in as Dovecot's user. */
  addSender: (
    port: number,
    security: "tls" | "starttls" | "none",
    overrides?: Record<string, unknown>,
  ) => Promise<string>;
  /** POST /api/messages as the user, with Cc and Bcc; returns the stored message's id. */
  enqueue: (
    senderId: string,
    message: { to: string[]; cc?: string[]; bcc?: string[]; html?: string },
  ) => Promise<string>;
  /** The message as its page gets it (GET /api/messages/:id), as text to look for what the user is told. */
  viewText: (id: string) => Promise<string>;
  /** Exactly one copy per listed recipient arrived (none for anyone else), each with the HTML as stored, no Bcc. */
  expectArrivedOnce: (id: string, recipients: string[]) => Promise<void>;
  stop: () => Promise<void>;
};

/** Why a Postfix test file is skipped here, or null. They run on SQLite only: the database changes nothing SMTP sees. */
export function postfixSuiteSkipReason(databaseUrl: string): string | null {
  return (
    postfixUnavailableReason() ??
    (providerOf(databaseUrl) === "postgresql"
      ? "it runs on the SQLite project only: the database adds nothing to what a mail server sees"
      : null)
  );
}

export async function startPostfixDelivery(options: {
  certificates?: TestCertificates;
  recipientReplies?: Record<string, string>;
}): Promise<PostfixDelivery> {
  const postfix = await startPostfix(options);
  // A long poll interval: each test drains explicitly.
  const worker = startDeliveryWorker({ pollMs: 60_000, maxInFlight: 3 });
  const user = await signUpUser("Pia Postfix");

  return {
    postfix,
    worker,
    user,
    async addSender(port, security, overrides = {}) {
      const { username, password } = postfix.login;
      return (await addLoopbackSender(user, port, { username, password, security, ...overrides })).id;
    },
    async enqueue(senderId, { to, cc = [], bcc = [], html = POSTFIX_TEST_HTML }) {
      const asRecipients = (list: string[]) => list.map((address) => ({ address }));
      const res = await callRoute(postMessage, {
        method: "POST",
        path: "/api/messages",
        user,
        json: {
          idempotencyKey: randomUUID(),
          senderId,
          to: asRecipients(to),
          cc: asRecipients(cc),
          bcc: asRecipients(bcc),
          subject: "Through Postfix",
          html,
        },
      });
      expect(res.status).toBe(202);
      return ((await res.json()) as { message: { id: string } }).message.id;
    },
    async viewText(id) {
      const res = await callRoute(getMessage, { user, params: { id } });
      expect(res.status).toBe(200);
      return JSON.stringify(await res.json());
    },
    async expectArrivedOnce(id, recipients) {
      const message = await db.message.findUniqueOrThrow({ where: { id } });
      const copies = (await postfix.delivered()).filter(
        (m) => m.parsed.messageId === message.messageIdHeader,
      );
      expect(countByRecipient(copies)).toEqual(Object.fromEntries(recipients.map((r) => [r, 1])));
      for (const copy of copies) {
        expect(Buffer.from(String(copy.parsed.html))).toEqual(Buffer.from(message.html));
        expect(copy.parsed.headers.has("bcc")).toBe(false);
        expect(copy.raw.toString("utf8")).not.toMatch(/^bcc:/im);
      }
    },
    async stop() {
      await worker.stop();
      closeAllPools();
      await postfix.stop();
    },
  };
}

/** Fresh recipients for one case (the Maildir is shared by all of a file's cases). */
export function freshAddresses(tag: string): [string, string, string] {
  const run = randomUUID().slice(0, 6);
  return [`${tag}-${run}-a@acme.test`, `${tag}-${run}-b@acme.test`, `${tag}-${run}-c@acme.test`];
}

/** The message's status and last error: a failed expectation on the status shows the reason too. */
export async function stateOf(id: string): Promise<{ status: string; lastError: string | null }> {
  const { status, lastError } = await db.message.findUniqueOrThrow({ where: { id } });
  return { status, lastError };
}

function countByRecipient(copies: DeliveredMail[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const c of copies) counts[c.deliveredTo] = (counts[c.deliveredTo] ?? 0) + 1;
  return counts;
}
