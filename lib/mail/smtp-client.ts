// A pooled SMTP client for the delivery engine, in place of nodemailer's pool.
//
// Where nodemailer's time goes (Node 20, loopback, 2 shared cores; timing runs and `node --cpu-prof`):
// - MIME: MailComposer costs ~350–700 µs per small multipart/alternative message on its own, because every
//   part goes through Transform streams (qp/base64/line-ending streams, many small pushes). With sendMail
//   building each message, that alone caps one process near 1,500–2,800 msg/s. buildMimeMessage
//   (lib/mail/mime-build.ts) builds the same shape in ~12 µs.
// - SMTP: with prebuilt raw messages, one nodemailer connection does ~2,000 msg/s (~500 µs/msg): MAIL, RCPT,
//   DATA and the body are four round trips, each a separate small write (in the CPU profile of a 5-connection
//   run, native writeBuffer/writev and stream internals take ~35% of busy time, mime-node ~11%, GC 7–27%).
// - Server: smtp-server in the same process and a minimal sink in a child process give the same order of
//   figures; the client is the cost, and for nodemailer with 5 connections ~1,100–2,400 msg/s.
// So this client pipelines (RFC 2920): MAIL + RCPTs in one write, and each body is written together with the
// next message's envelope, which makes one round trip per message (two with DATA: DATA waits for the RCPT
// replies, so that a message with every recipient refused gets RSET instead, and the body for the 354); its
// client CPU is ~50% of wall time at ~16–22k msg/s over 5 connections, so the limit is then the round trip,
// not our code. A body never goes before its envelope was accepted (lib/mail/smtp-connection.ts).
//
// Connections open as the queue needs them: one message opens one, and until a session has signed in no
// second one is opened, so a wrong password costs one failed login, not one per connection. After a failed
// login the pool stops: what is queued fails with that error and every later send() too, until the pool is
// made again (a provider locks an account, or fail2ban an address, after a burst of failed logins).
//
// No database or app imports here: the client must stay reusable (and testable against any SMTP server).

import { prepareBody } from "@/lib/mail/smtp-body";
import {
  SmtpConnection,
  type Job,
  type SendResult,
  type SmtpClientOptions,
  type SmtpSessionInfo,
} from "@/lib/mail/smtp-connection";
import { smtpError, type SmtpError, type SmtpReply } from "@/lib/mail/smtp-reply";

export type { SendResult, SmtpClientOptions, SmtpSessionInfo } from "@/lib/mail/smtp-connection";
export type { SmtpError, SmtpErrorCode } from "@/lib/mail/smtp-reply";

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
  /** True when a send() now would not wait behind queued messages (nodemailer's pool has the same). */
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
        if (error.code === "EAUTH" && (error.responseCode ?? 535) >= 500) {
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
        if (closing) return reject(smtpError("The SMTP pool is closed", "ECLOSED", { command: "API" }));
        if (authFailure) return reject(authFailure);
        const bad = [envelope.from, ...envelope.to].find((a) => UNSAFE_ADDRESS.test(a));
        if (bad !== undefined) {
          return reject(smtpError(`Invalid address ${JSON.stringify(bad)}`, "EENVELOPE", { command: "API" }));
        }
        if (!envelope.to.length) {
          return reject(smtpError("No recipients defined", "EENVELOPE", { command: "API" }));
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
      const error = smtpError("The SMTP pool was closed before the message was sent", "ECLOSED", {
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
    throw smtpError(`Invalid address ${JSON.stringify(probeFrom)}`, "EENVELOPE", { command: "API" });
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
