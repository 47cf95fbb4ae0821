// The SMTP client of delivery and "Test connection": a pool of sessions per sender (lib/mail/smtp-connection.ts),
// with its options in lib/mail/smtp-options.ts and its errors in lib/mail/smtp-error.ts. Each session pipelines
// (RFC 2920) one transaction at a time, so a message costs one round trip (a general-purpose client takes four:
// MAIL, RCPT, DATA, the body). The figures come from `npx tsx tests/bench/smtp-client.ts` and
// `npm run bench:delivery`, not from comments.
//
// Connections open as the queue needs them: one message opens one, and until a session has signed in no
// second one is opened, so a wrong password costs one failed login, not one per connection. After a failed
// login the pool stops: what is queued fails with that error and every later send() too, until the pool is
// made again (a provider locks an account, or fail2ban an address, after a burst of failed logins).
//
// No database or app imports here: the client must stay reusable (and testable against any SMTP server).

import { prepareBody } from "@/lib/mail/smtp-body";
import { SmtpConnection } from "@/lib/mail/smtp-connection";
import type { Job, SendResult } from "@/lib/mail/smtp-envelope";
import type { SmtpClientOptions, SmtpSessionInfo } from "@/lib/mail/smtp-options";
import { SmtpError } from "@/lib/mail/smtp-error";
import type { SmtpReply } from "@/lib/mail/smtp-reply";

export type { SendResult } from "@/lib/mail/smtp-envelope";
export type { SmtpClientOptions, SmtpSecurity, SmtpSessionInfo } from "@/lib/mail/smtp-options";
export { SmtpError, type SmtpErrorCode } from "@/lib/mail/smtp-error";

export type SmtpEnvelope = { from: string; to: string[] };

export type SmtpPoolStats = {
  /** Open sessions (ready or still being set up). */
  connections: number;
  /** Ready sessions with nothing in flight. */
  idle: number;
  /** Messages accepted by send() and not yet written to any connection. */
  queued: number;
  /** Messages written to a connection whose final reply has not come. */
  inFlight: number;
};

export type SmtpPool = {
  send(envelope: SmtpEnvelope, raw: Buffer | string): Promise<SendResult>;
  /** Rejects what is still queued, lets in-flight messages finish, then says QUIT on every connection. */
  close(): Promise<void>;
  stats(): SmtpPoolStats;
  /** True when a send() now would not wait behind queued messages. */
  isIdle(): boolean;
  /** The failed login that stopped this pool, if one did: it takes no more messages. */
  authFailure(): SmtpError | undefined;
};

// CR, LF, "<" or ">" in an address would let a caller inject SMTP commands.
const UNSAFE_ADDRESS = /[\r\n<>]/;

export function createSmtpPool(
  options: SmtpClientOptions,
  poolOptions: { maxConnections?: number } = {},
): SmtpPool {
  const maxConnections = Math.max(1, poolOptions.maxConnections ?? 5);
  const connections = new Set<SmtpConnection>();
  let queue: Job[] = [];
  let head = 0;
  let scheduled = false;
  let closing = false;
  /** Some session of this pool got as far as MAIL FROM: the server and the credentials work. */
  let everEstablished = false;
  let authFailure: SmtpError | undefined;
  let closedAll: (() => void) | undefined;

  const source = {
    pull(): Job | undefined {
      if (head === queue.length) return undefined;
      const job = queue[head]!;
      queue[head++] = undefined as unknown as Job; // let it go once written
      if (head === queue.length) {
        queue = [];
        head = 0;
      }
      return job;
    },
    closed(connection: SmtpConnection, error: SmtpError | undefined): void {
      connections.delete(connection);
      if (closing) {
        if (connections.size === 0) closedAll?.();
        return;
      }
      // A session that failed during setup is handled where connect() rejects.
      if (!connection.established) return;
      // A session that dropped before finishing any message looks like a failing server: no replacement, so a
      // server that accepts and hangs up at once cannot keep us reconnecting forever.
      if (error && connection.completed === 0) return failQueueIfAlone(error);
      schedule(); // a replacement, if messages wait
    },
  };

  function queued(): number {
    return queue.length - head;
  }

  function failQueueIfAlone(error: SmtpError): void {
    // Other sessions still up or on their way will drain the queue; when none is left, waiting is pointless.
    if (connections.size > 0) return;
    failQueue(error);
  }

  function failQueue(error: SmtpError): void {
    const waiting = queue.slice(head);
    queue = [];
    head = 0;
    for (const job of waiting) job.reject(error);
  }

  function open(): void {
    const connection = new SmtpConnection(options, source);
    connections.add(connection);
    connection.connect().then(
      () => {
        everEstablished = true;
        if (closing) return connection.quit();
        connection.kick();
        schedule(); // more sessions, if the queue is longer than this one takes
      },
      (error: SmtpError) => {
        connections.delete(connection);
        if (closing) {
          if (connections.size === 0) closedAll?.();
          return;
        }
        // A refused login (535, 534 …); a temporary one (454) fails only what waits, like any setup failure.
        if (error.code === "EAUTH" && (error.reply?.code ?? 535) >= 500) {
          // Never try these credentials again from this pool: no retry, no other connection.
          authFailure ??= error;
          return failQueue(error);
        }
        failQueueIfAlone(error);
      },
    );
  }

  /** Sessions being set up: each will take at least one queued message once ready. */
  function connecting(): number {
    let n = 0;
    for (const connection of connections) if (!connection.established) n += 1;
    return n;
  }

  // Batched: a burst of send() calls costs one pass over the connections, not one per message.
  function schedule(): void {
    if (scheduled || closing) return;
    scheduled = true;
    queueMicrotask(() => {
      scheduled = false;
      if (authFailure) return;
      for (const connection of connections) {
        if (!queued()) return;
        connection.kick();
      }
      // Until one session has signed in, one at a time: a wrong password must cost one login attempt.
      const limit = everEstablished ? maxConnections : 1;
      let wanted = queued() - connecting();
      while (wanted-- > 0 && connections.size < limit) open();
    });
  }

  return {
    send(envelope, raw) {
      return new Promise<SendResult>((resolve, reject) => {
        if (closing) return reject(new SmtpError("The SMTP pool is closed", "ECLOSED", { command: "API" }));
        if (authFailure) return reject(authFailure);
        const bad = [envelope.from, ...envelope.to].find((a) => UNSAFE_ADDRESS.test(a));
        if (bad !== undefined) {
          return reject(
            new SmtpError(`Invalid address ${JSON.stringify(bad)}`, "EENVELOPE", { command: "API" }),
          );
        }
        if (!envelope.to.length) {
          return reject(new SmtpError("No recipients defined", "EENVELOPE", { command: "API" }));
        }
        queue.push({
          from: envelope.from,
          to: envelope.to,
          body: prepareBody(raw),
          resolve,
          reject,
          accepted: [],
          rejected: [],
          rejectedErrors: [],
          dataWritten: false,
        });
        schedule();
      });
    },

    close() {
      if (closing) return Promise.resolve();
      closing = true;
      const waiting = queue.slice(head);
      queue = [];
      head = 0;
      const error = new SmtpError("The SMTP pool was closed before the message was sent", "ECLOSED", {
        command: "API",
      });
      for (const job of waiting) job.reject(error);
      if (connections.size === 0) return Promise.resolve();
      return new Promise<void>((resolve) => {
        closedAll = resolve;
        // Sessions still being set up quit as soon as they are ready (or fail); the others after their replies.
        for (const connection of connections) if (connection.established) connection.quit();
      });
    },

    stats() {
      let idle = 0;
      let inFlight = 0;
      for (const connection of connections) {
        inFlight += connection.busy;
        if (connection.ready && connection.busy === 0) idle += 1;
      }
      return { connections: connections.size, idle, queued: queued(), inFlight };
    },

    isIdle() {
      return !closing && queued() === 0;
    },

    authFailure() {
      return authFailure;
    },
  };
}

export type SmtpVerification = SmtpSessionInfo & {
  /** The server's reply to MAIL FROM for the sender's address (followed by RSET: nothing is sent). */
  mailReply?: SmtpReply;
};

/**
 * Connects, greets, negotiates TLS and signs in exactly as a send would, asks whether the server would take mail
 * from `probeFrom` (MAIL FROM, then RSET), says QUIT, and tells what the session turned out to be ("Test
 * connection"). Rejects with the same errors a send gets.
 */
export async function verifySmtpSession(
  options: SmtpClientOptions,
  probeFrom?: string,
): Promise<SmtpVerification> {
  if (probeFrom !== undefined && UNSAFE_ADDRESS.test(probeFrom)) {
    throw new SmtpError(`Invalid address ${JSON.stringify(probeFrom)}`, "EENVELOPE", { command: "API" });
  }
  const connection = new SmtpConnection(options, { pull: () => undefined, closed: () => undefined });
  await connection.connect();
  try {
    const mailReply = probeFrom === undefined ? undefined : await connection.probeMailFrom(probeFrom);
    return { ...connection.session, mailReply };
  } finally {
    connection.quit();
  }
}
