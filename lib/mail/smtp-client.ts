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
// So this client pipelines (RFC 2920): MAIL + RCPTs + DATA in one write, and each body is written together
// with the next message's envelope, which makes one round trip per message; its client CPU is ~50% of wall
// time at ~16–22k msg/s over 5 connections, so the limit is then the round trip, not our code.
//
// No database or app imports here: the client must stay reusable (and testable against any SMTP server).

import { prepareBody } from "@/lib/mail/smtp-body";
import {
  SmtpConnection,
  type Job,
  type SendResult,
  type SmtpClientOptions,
} from "@/lib/mail/smtp-connection";
import { smtpError, type SmtpError } from "@/lib/mail/smtp-reply";

export type { SendResult, SmtpClientOptions } from "@/lib/mail/smtp-connection";
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
};

/** Sets one session up exactly as sending would (connect, TLS, AUTH), then says QUIT: "Test connection". */
export async function verifySmtpSession(options: SmtpClientOptions): Promise<void> {
  const connection = new SmtpConnection(options, { pull: () => undefined, closed: () => undefined });
  await connection.connect();
  connection.quit();
}

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
    const waiting = queue.slice(head);
    queue = [];
    head = 0;
    for (const job of waiting) job.reject(error);
  }

  function open(): void {
    const connection = new SmtpConnection(options, source);
    connections.add(connection);
    connection.connect().then(
      () => (closing ? connection.quit() : connection.kick()),
      (error: SmtpError) => {
        connections.delete(connection);
        if (closing) {
          if (connections.size === 0) closedAll?.();
          return;
        }
        failQueueIfAlone(error);
      },
    );
  }

  // Batched: a burst of send() calls costs one pass over the connections, not one per message.
  function schedule(): void {
    if (scheduled || closing) return;
    scheduled = true;
    queueMicrotask(() => {
      scheduled = false;
      for (const connection of connections) {
        if (!queued()) return;
        connection.kick();
      }
      while (queued() && connections.size < maxConnections) open();
    });
  }

  return {
    send(envelope, raw) {
      return new Promise<SendResult>((resolve, reject) => {
        if (closing) return reject(smtpError("The SMTP pool is closed", "ECLOSED", { command: "API" }));
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
  };
}
