// One SMTP session: connect, greet, EHLO/HELO, STARTTLS, AUTH, then transactions, pipelined when the server
// offers PIPELINING (RFC 2920).
//
// No byte of a message reaches the server before it has agreed to take it as message data: the body follows
// only a MAIL and at least one RCPT the server accepted — after its 354 for DATA, right away for BDAT (RFC 3030
// frames BDAT data by length, so a server that took the envelope reads it as data). A server that refused the
// envelope gets RSET, never DATA or BDAT: a server refusing MAIL (530, say) would otherwise read the message's
// lines as commands. One transaction is open on the server at a time, so with pipelining a message costs one
// round trip: its body goes in the same write as the next message's RSET, MAIL and RCPTs.
//
// Each wait has its own limit (RFC 5321 §4.5.3.2): connecting, the greeting, a command's reply, and the final
// reply after the message data, which a server may take 10 minutes to give. When that final reply never comes
// (a timeout, a dropped connection) the message may have arrived: it fails as EUNCONFIRMED, not as a plain
// failure, so the caller can try again under the same Message-ID and say so.
//
// The pool (lib/mail/smtp-client.ts) feeds it jobs; it never queues on its own.

import net from "node:net";
import os from "node:os";
import tls from "node:tls";
import { ehloName } from "@/lib/mail/ehlo-name";
import { AwaitedReplies, type ReplyWait } from "@/lib/mail/smtp-awaited-replies";
import type { PreparedBody } from "@/lib/mail/smtp-body";
import {
  parseCapabilities,
  ReplyReader,
  smtpError,
  type Capabilities,
  type SmtpError,
  type SmtpReply,
} from "@/lib/mail/smtp-reply";

export type SmtpClientOptions = {
  host: string;
  port?: number;
  /** Implicit TLS from the first byte (port 465). */
  secure?: boolean;
  /** Fail unless the session is upgraded with STARTTLS; wins over ignoreTLS, as in nodemailer. */
  requireTLS?: boolean;
  /** Stay in plaintext even when STARTTLS is offered. */
  ignoreTLS?: boolean;
  /** Passed to tls.connect; `servername` names the certificate to verify when `host` is an IP address. */
  tls?: tls.ConnectionOptions;
  /** Our name in EHLO/HELO (lib/mail/ehlo-name.ts picks one when unset). */
  name?: string;
  auth?: { user: string; pass: string };
  /** Fail unless the server offers AUTH and we sign in: no open relays for a user's custom server. */
  requireAuth?: boolean;
  authMethod?: "PLAIN" | "LOGIN";
  /** ms to establish the TCP connection (and, for implicit TLS, the TLS session). */
  connectionTimeout?: number;
  /** ms from connecting to the server's greeting. */
  greetingTimeout?: number;
  /** ms to wait for the reply to a command (EHLO, STARTTLS and its handshake, AUTH, MAIL, RCPT, DATA, RSET). */
  commandTimeout?: number;
  /** ms to wait for the server's verdict after the message data (RFC 5321 §4.5.3.2: 10 minutes). */
  finalReplyTimeout?: number;
  /** ms a session with nothing to do stays open before it says QUIT. */
  idleTimeout?: number;
  /** Talk lock-step even when PIPELINING is offered (for measuring, or for servers that lie about it). */
  disablePipelining?: boolean;
  /** Use DATA even when CHUNKING is offered. */
  disableChunking?: boolean;
};

export type SendResult = {
  accepted: string[];
  rejected: string[];
  rejectedErrors: SmtpError[];
  response: string;
};

export type Job = {
  from: string;
  to: string[];
  body: PreparedBody;
  resolve: (result: SendResult) => void;
  reject: (error: SmtpError) => void;
  accepted: string[];
  rejected: string[];
  rejectedErrors: SmtpError[];
  mailError?: SmtpError;
  /** Set once any byte of the message was written: from then on a lost reply is an unknown outcome. */
  dataWritten?: boolean;
};

/** What a connection asks of its pool. */
export type JobSource = {
  /** The next job to send, if any. */
  pull(): Job | undefined;
  /** Called once when the connection has closed, for whatever reason. */
  closed(connection: SmtpConnection, error: SmtpError | undefined): void;
};

/** What the session turned out to be, for "Test connection". */
export type SmtpSessionInfo = {
  encrypted: boolean;
  authenticated: boolean;
  /** AUTH mechanisms the server offered (none: it takes mail without a login, or only after STARTTLS). */
  authOffered: string[];
  startTlsOffered: boolean;
  /** The server's SIZE limit in bytes; 0 when it states none. */
  sizeLimit: number;
};

type Part = string | Buffer;

export const SMTP_DEFAULT_TIMEOUTS = {
  connectionTimeout: 60_000,
  greetingTimeout: 300_000,
  commandTimeout: 300_000,
  finalReplyTimeout: 600_000,
  idleTimeout: 60_000,
};

const ignoreReply = () => undefined;

export class SmtpConnection {
  private socket!: net.Socket;
  private readonly replies: AwaitedReplies;
  private readonly reader = new ReplyReader((reply) => this.replies.dispatch(reply));
  private readonly timeouts: typeof SMTP_DEFAULT_TIMEOUTS;
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
    this.timeouts = {
      connectionTimeout: options.connectionTimeout ?? SMTP_DEFAULT_TIMEOUTS.connectionTimeout,
      greetingTimeout: options.greetingTimeout ?? SMTP_DEFAULT_TIMEOUTS.greetingTimeout,
      commandTimeout: options.commandTimeout ?? SMTP_DEFAULT_TIMEOUTS.commandTimeout,
      finalReplyTimeout: options.finalReplyTimeout ?? SMTP_DEFAULT_TIMEOUTS.finalReplyTimeout,
      idleTimeout: options.idleTimeout ?? SMTP_DEFAULT_TIMEOUTS.idleTimeout,
    };
    this.replies = new AwaitedReplies(
      {
        greeting: this.timeouts.greetingTimeout,
        command: this.timeouts.commandTimeout,
        final: this.timeouts.finalReplyTimeout,
      },
      (wait, limit) => this.onReplyTimeout(wait, limit),
      (reply) => this.onUnexpectedReply(reply),
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

  /** Resolves once the session is ready for MAIL FROM; rejects with a nodemailer-shaped error. */
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
    await this.openSocket(o.port ?? (o.secure ? 465 : 25));

    const greeting = await this.nextReply("greeting");
    if (greeting.code !== 220) {
      throw smtpError(`Invalid greeting: ${greeting.text}`, "EPROTOCOL", {
        reply: greeting,
        command: "CONN",
      });
    }

    await this.hello();
    const encrypted = this.socket instanceof tls.TLSSocket;
    if (!encrypted && (o.requireTLS || (!o.ignoreTLS && this.caps.startTls))) {
      // requireTLS tries STARTTLS even when not advertised: some servers offer it only after asking.
      const reply = await this.command("STARTTLS");
      if (reply.code === 220) {
        await this.upgrade();
        await this.hello();
      } else if (o.requireTLS) {
        throw smtpError(`STARTTLS is required but the server refused it: ${reply.text}`, "ETLS", {
          reply,
          command: "STARTTLS",
        });
      }
    }
    if (o.requireAuth && (!o.auth || this.caps.auth.length === 0)) {
      throw smtpError("The server does not ask for a sign-in (no AUTH offered)", "ENOAUTH", {
        command: "AUTH",
      });
    }
    // A server that offers no AUTH at all (an internal relay) takes mail without it, as nodemailer does;
    // `session` tells "Test connection" that no login happened.
    if (o.auth && this.caps.auth.length > 0) await this.authenticate(o.auth);
    this.pipelining = this.caps.pipelining && !o.disablePipelining;
    this.chunking = this.pipelining && this.caps.chunking && !o.disableChunking;
    this.socket.setTimeout(this.timeouts.idleTimeout);
    this.isReady = true;
  }

  private openSocket(port: number): Promise<void> {
    const o = this.options;
    return new Promise<void>((resolve, reject) => {
      const socket = o.secure
        ? tls.connect({ ...o.tls, host: o.host, port, servername: this.servername() })
        : net.connect({ host: o.host, port });
      this.socket = socket;
      this.attach(socket);
      const timer = setTimeout(() => {
        fail(smtpError("Connection timeout", "ETIMEDOUT", { command: "CONN" }));
      }, this.timeouts.connectionTimeout);
      const fail = (error: SmtpError) => {
        clearTimeout(timer);
        this.destroy(error);
        reject(error);
      };
      const onError = (error: Error) => fail(socketError(error));
      socket.once("error", onError);
      socket.once(o.secure ? "secureConnect" : "connect", () => {
        clearTimeout(timer);
        socket.off("error", onError);
        socket.setNoDelay(true);
        resolve();
      });
    });
  }

  /**
   * The name to ask for (SNI) and to verify the certificate against. An IP address is not sent as SNI (RFC
   * 6066); Node then verifies the certificate against `host`, which is passed along for that.
   */
  private servername(): string | undefined {
    const name = this.options.tls?.servername ?? this.options.host;
    return net.isIP(name) ? undefined : name;
  }

  /** Listeners for the life of a socket (the plain one, then the TLS one after STARTTLS). */
  private attach(socket: net.Socket): void {
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

  private async hello(): Promise<void> {
    const name = this.options.name ?? ehloName({ hostname: os.hostname() });
    let reply = await this.command(`EHLO ${name}`);
    if (reply.code === 421) {
      throw smtpError(`Server terminates connection: ${reply.text}`, "ECONNECTION", {
        reply,
        command: "EHLO",
      });
    }
    if (reply.code !== 250) {
      reply = await this.command(`HELO ${name}`);
      if (reply.code !== 250) {
        throw smtpError(`Invalid HELO: ${reply.text}`, "EPROTOCOL", { reply, command: "HELO" });
      }
    }
    this.caps = parseCapabilities(reply.text);
  }

  private upgrade(): Promise<void> {
    const plain = this.socket;
    plain.removeAllListeners("data");
    plain.removeAllListeners("close");
    plain.removeAllListeners("timeout");
    return new Promise<void>((resolve, reject) => {
      const secure = tls.connect({
        ...this.options.tls,
        socket: plain,
        host: this.options.host,
        servername: this.servername(),
      });
      this.socket = secure;
      this.attach(secure);
      const fail = (e: SmtpError) => {
        clearTimeout(timer);
        this.destroy(e);
        reject(e);
      };
      const timer = setTimeout(
        () =>
          fail(
            smtpError("Timeout during the TLS handshake (STARTTLS)", "ETIMEDOUT", { command: "STARTTLS" }),
          ),
        this.timeouts.commandTimeout,
      );
      const onError = (error: Error) =>
        fail(
          smtpError(`Error initiating TLS (STARTTLS): ${error.message}`, "ETLS", {
            command: "STARTTLS",
            cause: error,
          }),
        );
      secure.once("error", onError);
      secure.once("secureConnect", () => {
        clearTimeout(timer);
        secure.off("error", onError);
        resolve();
      });
    });
  }

  private async authenticate(auth: { user: string; pass: string }): Promise<void> {
    const offered = this.caps.auth;
    const method =
      this.options.authMethod ??
      (offered.includes("PLAIN") || !offered.includes("LOGIN") ? "PLAIN" : "LOGIN");
    const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64");
    const command = `AUTH ${method}`;
    let reply: SmtpReply;
    if (method === "PLAIN") {
      reply = await this.command(`AUTH PLAIN ${b64(`\u0000${auth.user}\u0000${auth.pass}`)}`);
    } else {
      reply = await this.command("AUTH LOGIN");
      if (reply.code === 334) reply = await this.command(b64(auth.user));
      if (reply.code === 334) reply = await this.command(b64(auth.pass));
    }
    if (reply.code !== 235) throw smtpError(`Invalid login: ${reply.text}`, "EAUTH", { reply, command });
    this.authenticated = true;
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

  private onReplyTimeout(wait: ReplyWait, limit: number): void {
    if (wait === "greeting") {
      this.destroy(smtpError("Greeting never received", "ETIMEDOUT", { command: "CONN" }));
    } else if (wait === "final") {
      this.destroy(
        smtpError(`no final reply within ${duration(limit)} after the message was sent`, "ETIMEDOUT", {
          command: "DATA",
        }),
      );
    } else {
      this.destroy(
        smtpError(`Timed out after ${duration(limit)} waiting for a reply`, "ETIMEDOUT", { command: "CONN" }),
      );
    }
  }

  /** Nobody asked: a 421 the server sends before closing, or a protocol error. Either way the session ends. */
  private onUnexpectedReply(reply: SmtpReply): void {
    this.destroy(
      smtpError(`Unexpected reply: ${reply.text}`, reply.code === 421 ? "ECONNECTION" : "EPROTOCOL", {
        reply,
        command: "CONN",
      }),
    );
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

  /** Writes `before` (the previous message's data, an RSET), then this job's envelope: MAIL and its RCPTs. */
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
    text += `MAIL FROM:<${job.from}>${this.mailParams(job)}\r\n`;
    this.replies.expect((reply) => this.onMail(job, reply));
    const last = job.to.length - 1;
    job.to.forEach((address, i) => {
      text += `RCPT TO:<${address}>\r\n`;
      this.replies.expect((reply) => {
        this.onRcpt(job, address, reply);
        if (i === last) this.envelopeDone(job);
      });
    });
    this.write([...before, text]);
  }

  /** Without PIPELINING every command waits for the reply before it; the same handlers judge the replies. */
  private lockStepEnvelope(job: Job): void {
    const steps: { line: string; handle: (reply: SmtpReply) => void }[] = [];
    if (this.needsRset) {
      this.needsRset = false;
      steps.push({ line: "RSET", handle: ignoreReply });
    }
    steps.push({
      line: `MAIL FROM:<${job.from}>${this.mailParams(job)}`,
      handle: (r) => this.onMail(job, r),
    });
    for (const address of job.to) {
      steps.push({ line: `RCPT TO:<${address}>`, handle: (r) => this.onRcpt(job, address, r) });
    }
    const next = (i: number): void => {
      // After a refused MAIL the recipients cannot be taken: the envelope is over.
      if (i === steps.length || job.mailError) return this.envelopeDone(job);
      this.replies.expect((reply) => {
        steps[i]!.handle(reply);
        next(i + 1);
      });
      this.socket.write(`${steps[i]!.line}\r\n`);
    };
    next(0);
  }

  /** Every envelope reply is in: the message goes only if MAIL and at least one RCPT were accepted. */
  private envelopeDone(job: Job): void {
    const refused = this.envelopeError(job);
    if (refused) {
      this.envelopeJob = undefined;
      this.finish(job, refused);
      return this.abandonTransaction();
    }
    if (this.chunking) {
      // BDAT's byte count tells the server where the message ends whatever it thinks of it; its reply is the
      // message's verdict, and the next transaction starts with RSET in case that verdict was a refusal.
      this.envelopeJob = undefined;
      this.awaitFinalReply(job);
      this.needsRset = true;
      return this.continueWith([`BDAT ${job.body.chunk.length} LAST\r\n`, job.body.chunk]);
    }
    this.replies.expect((reply) => this.onData(job, reply));
    this.socket.write("DATA\r\n");
  }

  /** The reply to DATA: the body goes only after 354. */
  private onData(job: Job, reply: SmtpReply): void {
    this.envelopeJob = undefined;
    if (reply.code !== 354) {
      this.finish(
        job,
        smtpError(`Data command failed: ${reply.text}`, "EENVELOPE", { reply, command: "DATA" }),
      );
      return this.abandonTransaction();
    }
    this.awaitFinalReply(job);
    // After "." the transaction is over whatever the verdict: the next one needs no RSET.
    this.continueWith([job.body.data]);
  }

  /** RSET clears what the server holds of a transaction whose message will not be sent. */
  private abandonTransaction(): void {
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
    this.finishWithReply(job, reply);
    this.afterJob();
  }

  private mailParams(job: Job): string {
    let params = "";
    if (this.caps.size) params += ` SIZE=${job.body.size}`;
    if (job.body.eightBit && this.caps.eightBitMime) params += " BODY=8BITMIME";
    if (this.caps.smtpUtf8 && needsSmtpUtf8(job)) params += " SMTPUTF8";
    return params;
  }

  private onMail(job: Job, reply: SmtpReply): void {
    if (reply.code !== 250) {
      job.mailError = this.withSizeLimit(
        smtpError(`Mail command failed: ${reply.text}`, "EENVELOPE", { reply, command: "MAIL FROM" }),
      );
    }
  }

  private onRcpt(job: Job, address: string, reply: SmtpReply): void {
    if (job.mailError) return; // the RCPT replies after a refused MAIL say nothing about the recipients
    if (reply.code === 250 || reply.code === 251) {
      job.accepted.push(address);
      return;
    }
    const error = this.withSizeLimit(
      smtpError(`Recipient command failed: ${reply.text}`, "EENVELOPE", { reply, command: "RCPT TO" }),
    );
    error.recipient = address;
    job.rejected.push(address);
    job.rejectedErrors.push(error);
  }

  /** The server's verdict on a message's content (after its data, or BDAT LAST): 250 is accepted. */
  private finishWithReply(job: Job, reply: SmtpReply): void {
    if (reply.code === 250) {
      this.completed += 1;
      this.finish(job, undefined, reply.text);
    } else {
      this.finish(
        job,
        this.withSizeLimit(
          smtpError(`Message failed: ${reply.text}`, "EMESSAGE", { reply, command: "DATA" }),
        ),
      );
    }
  }

  /** A 552 may be about the message's size: the server's stated limit goes with it, for the explanation. */
  private withSizeLimit(error: SmtpError): SmtpError {
    if (error.responseCode === 552 && this.caps.size) error.sizeLimit = this.caps.size;
    return error;
  }

  /** A transaction is over: lock-step starts the next one now; a closing connection may say QUIT. */
  private afterJob(): void {
    if (this.quitting) this.quitWhenDone();
    else if (!this.pipelining) this.kick();
  }

  /** Same rules as nodemailer: a refused MAIL wins; with no recipient accepted, a deferral (4xx) wins. */
  private envelopeError(job: Job): SmtpError | undefined {
    if (job.mailError) return job.mailError;
    if (job.accepted.length) return undefined;
    const chosen = job.rejectedErrors.find((e) => (e.responseCode ?? 500) < 500) ?? job.rejectedErrors.at(-1);
    const error = smtpError(
      `Can't send mail - all recipients were rejected${chosen?.response ? `: ${chosen.response}` : ""}`,
      "EENVELOPE",
      { command: "RCPT TO" },
    );
    if (chosen?.responseCode) error.responseCode = chosen.responseCode;
    if (chosen?.response) error.response = chosen.response;
    if (chosen?.sizeLimit) error.sizeLimit = chosen.sizeLimit;
    error.rejected = job.rejected;
    error.rejectedErrors = job.rejectedErrors;
    return error;
  }

  private finish(job: Job, error: SmtpError | undefined, response = ""): void {
    if (!this.inFlight.delete(job)) return;
    if (error) job.reject(error);
    else
      job.resolve({
        accepted: job.accepted,
        rejected: job.rejected,
        rejectedErrors: job.rejectedErrors,
        response,
      });
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
    return this.failure ?? smtpError("Connection closed unexpectedly", "ECONNECTION", { command: "CONN" });
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
        if (job.dataWritten) job.reject(unconfirmed(job, error));
        // A job whose MAIL was refused (a 421 before the close, say) reports that reply rather than the close.
        else job.reject(job.mailError ?? error);
      }
    }
    this.inFlight.clear();
    this.source.closed(this, error);
  }
}

/** The outcome of a message whose final reply never came, with what its envelope's replies said. */
function unconfirmed(job: Job, cause: SmtpError): SmtpError {
  const what =
    cause.code === "ETIMEDOUT" && cause.command === "DATA"
      ? cause.message
      : `the connection was dropped after the message was sent, before the server's final reply (${cause.message})`;
  const error = smtpError(what, "EUNCONFIRMED", { command: "DATA", cause });
  error.accepted = [...job.accepted];
  error.rejected = [...job.rejected];
  error.rejectedErrors = [...job.rejectedErrors];
  return error;
}

function duration(ms: number): string {
  return ms < 10_000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`;
}

function socketError(error: Error): SmtpError {
  const e = smtpError(error.message, "ECONNECTION", { command: "CONN", cause: error });
  const code = (error as Error & { code?: string }).code;
  if (code) (e as SmtpError & { originalCode?: string }).originalCode = code;
  return e;
}

function needsSmtpUtf8(job: Job): boolean {
  const ascii = (s: string) => /^[\x00-\x7f]*$/.test(s);
  return !ascii(job.from) || !job.to.every(ascii);
}
