// One SMTP session: connect, greet, EHLO/HELO, STARTTLS, AUTH, then transactions, pipelined when the server
// offers PIPELINING (RFC 2920). Its parts: the socket and STARTTLS (smtp-socket.ts), the greeting, EHLO,
// STARTTLS and signing in (smtp-handshake.ts, smtp-auth.ts), the replies awaited and their time limits
// (smtp-awaited-replies.ts), judging a transaction's replies (smtp-envelope.ts).
//
// No byte of a message reaches the server before it has agreed to take it as message data: the body follows
// only a MAIL and at least one RCPT the server accepted — after its 354 for DATA, right away for BDAT (RFC 3030
// frames BDAT data by length, so a server that took the envelope reads it as data). With pipelining, DATA goes
// in the same write as MAIL and the RCPTs (RFC 2920 lets it end a group): a server answers 354 only when it
// took a recipient, and the body waits for that 354 and for our own check of the envelope's replies. A server
// that refused the envelope gets RSET, never the body (a server refusing MAIL would otherwise read the
// message's lines as commands). One transaction is open on the server at a time; a message's body goes in the
// same write as the next message's envelope, so with pipelining a message costs one round trip.
//
// Each wait has its own limit (RFC 5321 §4.5.3.2): connecting, the greeting, a command's reply, and the final
// reply after the message data, which a server may take 10 minutes to give. When that final reply never comes
// (a timeout, a dropped connection) the message may have arrived: it fails as EUNCONFIRMED, not as a plain
// failure, so the caller can try again under the same Message-ID and say so.
//
// The pool (lib/mail/smtp-client.ts) feeds it jobs; it never queues on its own.

import type net from "node:net";
import tls from "node:tls";
import { AwaitedReplies, type ReplyWait } from "@/lib/mail/smtp-awaited-replies";
import { handshake } from "@/lib/mail/smtp-handshake";
import * as envelope from "@/lib/mail/smtp-envelope";
import type { Job } from "@/lib/mail/smtp-envelope";
import {
  timeoutsOf,
  type SmtpClientOptions,
  type SmtpSessionInfo,
  type SmtpTimeouts,
} from "@/lib/mail/smtp-options";
import { replyTimeoutError, SmtpError, unexpectedReplyError } from "@/lib/mail/smtp-error";
import { ReplyReader, type Capabilities, type SmtpReply } from "@/lib/mail/smtp-reply";
import { openSocket, socketError, startTls } from "@/lib/mail/smtp-socket";

/** What a connection asks of its pool. */
export type JobSource = {
  /** The next job to send, if any. */
  pull(): Job | undefined;
  /** Called once when the connection has closed, for whatever reason. */
  closed(connection: SmtpConnection, error: SmtpError | undefined): void;
};

type Part = string | Buffer;

const ignoreReply = () => undefined;

export class SmtpConnection {
  private socket!: net.Socket;
  private readonly replies: AwaitedReplies;
  private readonly reader = new ReplyReader((reply) => this.replies.dispatch(reply));
  private readonly timeouts: SmtpTimeouts;
  private caps!: Capabilities;
  private pipelining = false;
  private chunking = false;
  private authenticated = false;
  /** The job whose envelope is on the wire: no other transaction starts until its data is written or it ended. */
  private envelopeJob: Job | undefined;
  /** The server may still hold a transaction (after BDAT, whose outcome is not known yet): start with RSET. */
  private needsRset = false;
  /** Jobs with bytes on the wire and no final outcome; they fail if the connection drops. */
  private readonly inFlight = new Set<Job>();
  private failure: SmtpError | undefined;
  private isReady = false;
  private isClosed = false;
  private quitting = false;
  private quitSent = false;
  /** Rejects the setup step in progress when the socket closes under it. */
  private setupReject: ((error: SmtpError) => void) | undefined;
  /** Jobs finished on this connection (the pool uses it to tell a flapping server from a dropped session). */
  completed = 0;

  constructor(
    private readonly options: SmtpClientOptions,
    private readonly source: JobSource,
  ) {
    this.timeouts = timeoutsOf(options);
    this.replies = new AwaitedReplies(
      { greeting: this.timeouts.greeting, command: this.timeouts.command, final: this.timeouts.finalReply },
      // A late reply, or one nobody asked for (a 421 before a hang-up, a protocol error), ends the session.
      (wait, limit) => this.destroy(replyTimeoutError(wait, limit)),
      (reply) => this.destroy(unexpectedReplyError(reply)),
    );
  }

  get ready(): boolean {
    return this.isReady && !this.isClosed && !this.quitting;
  }

  /** True when a new transaction can start now. */
  get canTake(): boolean {
    if (!this.ready || this.envelopeJob) return false;
    return this.pipelining || this.inFlight.size === 0;
  }

  get busy(): number {
    return this.inFlight.size;
  }

  /** True once the session got as far as MAIL FROM (then a close is a dropped session, not a failed setup). */
  get established(): boolean {
    return this.isReady;
  }

  get session(): SmtpSessionInfo {
    return {
      encrypted: this.socket instanceof tls.TLSSocket,
      authenticated: this.authenticated,
      authOffered: this.caps?.auth ?? [],
      startTlsOffered: this.caps?.startTls ?? false,
      sizeLimit: this.caps?.size ?? 0,
    };
  }

  // ---- setting the session up -------------------------------------------------------------------------

  /** Resolves once the session is ready for MAIL FROM; rejects with an SmtpError. */
  async connect(): Promise<void> {
    try {
      await this.setUp();
    } catch (error) {
      this.destroy(error as SmtpError);
      throw error;
    }
  }

  private async setUp(): Promise<void> {
    const o = this.options;
    const hooks = { attach: (s: net.Socket) => this.attach(s), fail: (e: SmtpError) => this.destroy(e) };
    this.socket = await openSocket(o, this.timeouts.connect, hooks);
    const { caps, authenticated } = await handshake(
      {
        greeting: () => this.nextReply("greeting"),
        command: (line) => this.command(line),
        encrypted: () => this.socket instanceof tls.TLSSocket,
        startTls: async () => {
          this.socket = await startTls(this.socket, o, this.timeouts.command, hooks);
        },
      },
      o,
    );
    this.caps = caps;
    this.authenticated = authenticated;
    this.pipelining = caps.pipelining && !o.disablePipelining;
    this.chunking = this.pipelining && caps.chunking && !o.disableChunking;
    this.socket.setTimeout(this.timeouts.idle);
    this.isReady = true;
  }

  /** Listeners for the life of a socket (the plain one, then the TLS one after STARTTLS). */
  private attach(socket: net.Socket): void {
    this.socket = socket;
    socket.on("data", (chunk: Buffer) => this.reader.push(chunk));
    socket.on("error", (error: Error) => {
      this.failure ??= socketError(error);
    });
    socket.on("close", () => this.onClose(socket));
    // Idle only: a reply that is late is the reply timer's business.
    socket.on("timeout", () => {
      if (this.isReady && this.inFlight.size === 0 && this.replies.empty) this.quit();
    });
  }

  private nextReply(wait: ReplyWait): Promise<SmtpReply> {
    return new Promise<SmtpReply>((resolve, reject) => {
      if (this.isClosed) return reject(this.closedError());
      this.setupReject = reject;
      this.replies.expect((reply) => {
        this.setupReject = undefined;
        resolve(reply);
      }, wait);
    });
  }

  private command(line: string): Promise<SmtpReply> {
    const reply = this.nextReply("command");
    this.socket.write(`${line}\r\n`);
    return reply;
  }

  /** Would the server take mail from `from`? MAIL FROM, then RSET: a question, no transaction is left open. */
  async probeMailFrom(from: string): Promise<SmtpReply> {
    const reply = await this.command(`MAIL FROM:<${from}>`);
    await this.command("RSET");
    return reply;
  }

  // ---- transactions ------------------------------------------------------------------------------------

  /** Starts the next job's transaction if the connection can take one now. */
  kick(): void {
    if (!this.canTake) return;
    const job = this.source.pull();
    if (job) this.startTransaction(job, []);
  }

  /**
   * Writes `before` (the previous message's data, an RSET), then this job's envelope: MAIL and its RCPTs, and
   * DATA after them unless BDAT will carry the message.
   */
  private startTransaction(job: Job, before: Part[]): void {
    this.inFlight.add(job);
    this.envelopeJob = job;
    if (!this.pipelining) return this.lockStepEnvelope(job);
    let text = "";
    if (this.needsRset) {
      this.needsRset = false;
      text += "RSET\r\n";
      this.replies.expect(ignoreReply); // a refused RSET shows in the MAIL reply after it
    }
    text += `MAIL FROM:<${job.from}>${envelope.mailParams(job, this.caps)}\r\n`;
    this.replies.expect((reply) => envelope.judgeMail(job, reply, this.caps));
    const last = job.to.length - 1;
    job.to.forEach((address, i) => {
      text += `RCPT TO:<${address}>\r\n`;
      this.replies.expect((reply) => {
        envelope.judgeRcpt(job, address, reply, this.caps);
        if (i === last && this.chunking) this.sendChunk(job);
      });
    });
    if (!this.chunking) {
      text += "DATA\r\n";
      this.replies.expect((reply) => this.onData(job, reply));
    }
    this.write([...before, text]);
  }

  /** Without PIPELINING every command waits for the reply before it; the same judges read the replies. */
  private lockStepEnvelope(job: Job): void {
    const steps: { line: string; handle: (reply: SmtpReply) => void }[] = [];
    if (this.needsRset) {
      this.needsRset = false;
      steps.push({ line: "RSET", handle: ignoreReply });
    }
    steps.push({
      line: `MAIL FROM:<${job.from}>${envelope.mailParams(job, this.caps)}`,
      handle: (r) => envelope.judgeMail(job, r, this.caps),
    });
    for (const address of job.to) {
      steps.push({
        line: `RCPT TO:<${address}>`,
        handle: (r) => envelope.judgeRcpt(job, address, r, this.caps),
      });
    }
    const next = (i: number): void => {
      // After a refused MAIL the recipients cannot be taken: the envelope is over.
      if (i === steps.length || job.mailError) return this.lockStepData(job);
      this.replies.expect((reply) => {
        steps[i]!.handle(reply);
        next(i + 1);
      });
      this.socket.write(`${steps[i]!.line}\r\n`);
    };
    next(0);
  }

  /** Lock-step: every envelope reply is in; DATA only when MAIL and at least one RCPT were accepted. */
  private lockStepData(job: Job): void {
    const refused = envelope.envelopeError(job);
    if (refused) return this.refuseEnvelope(job, refused);
    this.replies.expect((reply) => this.onData(job, reply));
    this.socket.write("DATA\r\n");
  }

  /** BDAT, once every envelope reply is in: its byte count frames the message whatever the server thinks. */
  private sendChunk(job: Job): void {
    const refused = envelope.envelopeError(job);
    if (refused) return this.refuseEnvelope(job, refused);
    // Its reply is the message's verdict; the next transaction starts with RSET in case that was a refusal.
    this.envelopeJob = undefined;
    this.awaitFinalReply(job);
    this.needsRset = true;
    this.continueWith([`BDAT ${job.body.chunk.length} LAST\r\n`, job.body.chunk]);
  }

  /**
   * The reply to DATA, after every envelope reply: the body goes only after a 354 and when MAIL and a RCPT were
   * accepted. A server that says 354 to an envelope we judge refused gets an empty message's end instead.
   */
  private onData(job: Job, reply: SmtpReply): void {
    const refused = envelope.envelopeError(job);
    if (refused || reply.code !== 354) {
      // "." alone ends the data a confused server waits for; with no recipient there is nobody to deliver to.
      if (reply.code === 354) {
        this.replies.expect(ignoreReply);
        this.socket.write(".\r\n");
      }
      return this.refuseEnvelope(job, refused ?? envelope.dataRefused(reply));
    }
    this.envelopeJob = undefined;
    this.awaitFinalReply(job);
    // After "." the transaction is over whatever the verdict: the next one needs no RSET.
    this.continueWith([job.body.data]);
  }

  /** The message will not be sent: it fails with `error`, and RSET clears what the server holds of it. */
  private refuseEnvelope(job: Job, error: SmtpError): void {
    this.envelopeJob = undefined;
    this.finish(job, error);
    // RSET's reply is not judged: a server that refuses RSET will refuse the next MAIL, which reports it.
    this.replies.expect(() => this.afterJob());
    if (this.pipelining) this.continueWith(["RSET\r\n"]);
    else this.socket.write("RSET\r\n");
  }

  private awaitFinalReply(job: Job): void {
    job.dataWritten = true;
    this.replies.expect((reply) => this.onFinal(job, reply), "final");
  }

  /** Writes `parts`, followed in the same write by the next transaction when pipelining and a job is waiting. */
  private continueWith(parts: Part[]): void {
    const next = this.pipelining && this.ready ? this.source.pull() : undefined;
    if (next) this.startTransaction(next, parts);
    else this.write(parts);
  }

  private write(parts: Part[]): void {
    if (parts.length === 1) {
      this.socket.write(parts[0]!);
      return;
    }
    this.socket.cork();
    for (const part of parts) this.socket.write(part);
    this.socket.uncork();
  }

  private onFinal(job: Job, reply: SmtpReply): void {
    const error = envelope.verdictError(reply, this.caps);
    if (!error) this.completed += 1;
    this.finish(job, error, reply.text);
    this.afterJob();
  }

  /** A transaction is over: lock-step starts the next one now; a closing connection may say QUIT. */
  private afterJob(): void {
    if (this.quitting) this.quitWhenDone();
    else if (!this.pipelining) this.kick();
  }

  private finish(job: Job, error: SmtpError | undefined, response = ""): void {
    if (!this.inFlight.delete(job)) return;
    if (error) job.reject(error);
    else job.resolve(envelope.resultOf(job, response));
  }

  // ---- closing -----------------------------------------------------------------------------------------

  /** QUIT once in-flight jobs are done; no new job is taken. */
  quit(): void {
    if (this.isClosed) return;
    this.quitting = true;
    this.quitWhenDone();
  }

  private quitWhenDone(): void {
    if (this.inFlight.size || this.isClosed || this.quitSent) return;
    this.quitSent = true;
    this.replies.expect(() => this.socket.end());
    this.socket.write("QUIT\r\n");
    // A server that does not answer QUIT must not hold the pool's close() forever.
    setTimeout(() => this.socket.destroy(), 1000).unref();
  }

  destroy(error?: SmtpError): void {
    if (error) this.failure ??= error;
    this.socket?.destroy();
  }

  private closedError(): SmtpError {
    return (
      this.failure ?? new SmtpError("Connection closed unexpectedly", "ECONNECTION", { command: "CONN" })
    );
  }

  private onClose(socket: net.Socket): void {
    if (socket !== this.socket || this.isClosed) return;
    this.isClosed = true;
    this.replies.stop();
    const error = this.quitting && !this.inFlight.size ? undefined : this.closedError();
    if (error) {
      this.setupReject?.(error);
      for (const job of this.inFlight) {
        // Once its data went out, the message may have arrived: that is not the same as a failure.
        if (job.dataWritten) job.reject(envelope.unconfirmed(job, error));
        // A job whose MAIL was refused (a 421 before the close, say) reports that reply rather than the close.
        else job.reject(job.mailError ?? error);
      }
    }
    this.inFlight.clear();
    this.source.closed(this, error);
  }
}
