// One SMTP session: connect, greet, EHLO/HELO, STARTTLS, AUTH, then transactions, pipelined when the server
// offers PIPELINING (RFC 2920). A server that also offers CHUNKING (RFC 3030) gets whole transactions pipelined —
// MAIL, RCPT, BDAT with the message — many to a write, with no 354 to wait for between envelope and body.
// The pool (lib/mail/smtp-client.ts) feeds it jobs; it never queues on its own.

import net from "node:net";
import os from "node:os";
import tls from "node:tls";
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
  /** Our name in EHLO/HELO. */
  name?: string;
  auth?: { user: string; pass: string };
  /** Fail unless the server offers AUTH and we sign in: no open relays for a user's custom server. */
  requireAuth?: boolean;
  authMethod?: "PLAIN" | "LOGIN";
  /** ms to establish the TCP (or TLS) connection. */
  connectionTimeout?: number;
  /** ms from connecting to the server's greeting. */
  greetingTimeout?: number;
  /** ms of silence while a reply is awaited; an idle connection is closed (politely) after this too. */
  socketTimeout?: number;
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
};

/** What a connection asks of its pool. */
export type JobSource = {
  /** The next job to send, if any. */
  pull(): Job | undefined;
  /** Called once when the connection has closed, for whatever reason. */
  closed(connection: SmtpConnection, error: SmtpError | undefined): void;
};

type Waiter = (reply: SmtpReply) => void;

const DEFAULTS = { port: 25, connectionTimeout: 120_000, greetingTimeout: 30_000, socketTimeout: 600_000 };
/** Transactions one connection has on the wire at once with CHUNKING. */
const CHUNKED_WINDOW = 32;

function defaultName(): string {
  const host = os.hostname();
  // A bare host name is not a valid EHLO argument; an address literal always is.
  return host.includes(".") ? host : "[127.0.0.1]";
}

export class SmtpConnection {
  private socket!: net.Socket;
  private readonly reader = new ReplyReader((reply) => this.dispatch(reply));
  private waiters: Waiter[] = [];
  private waiterHead = 0;
  private caps!: Capabilities;
  private pipelining = false;
  private chunking = false;
  /** Transactions started on this session (each after the first begins with RSET when chunking). */
  private transactions = 0;
  private kickScheduled = false;
  /** A job whose DATA reply (354) we wait for: no other envelope may be written until it arrives. */
  private awaitingData: Job | undefined;
  /** Jobs with bytes on the wire and no final outcome; they fail if the connection drops. */
  private readonly inFlight = new Set<Job>();
  private failure: SmtpError | undefined;
  private isReady = false;
  private isClosed = false;
  private quitting = false;
  /** Jobs finished on this connection (the pool uses it to tell a flapping server from a dropped session). */
  completed = 0;

  constructor(
    private readonly options: SmtpClientOptions,
    private readonly source: JobSource,
  ) {}

  get ready(): boolean {
    return this.isReady && !this.isClosed && !this.quitting;
  }

  /** True when a new envelope can be written now. */
  get canTake(): boolean {
    if (!this.ready) return false;
    if (this.chunking) return this.inFlight.size < CHUNKED_WINDOW;
    if (this.awaitingData) return false;
    return this.pipelining || this.inFlight.size === 0;
  }

  get busy(): number {
    return this.inFlight.size;
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

  /** True once the session got as far as MAIL FROM (then a close is a dropped session, not a failed setup). */
  get established(): boolean {
    return this.isReady;
  }

  private async setUp(): Promise<void> {
    const o = this.options;
    const port = o.port ?? (o.secure ? 465 : DEFAULTS.port);
    await this.openSocket(port);
    this.socket.setTimeout(o.socketTimeout ?? DEFAULTS.socketTimeout);

    const greeting = await this.phase(this.nextReply(), o.greetingTimeout ?? DEFAULTS.greetingTimeout, () =>
      smtpError("Greeting never received", "ETIMEDOUT", { command: "CONN" }),
    );
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
    // A server that offers no AUTH at all (an internal relay) takes mail without it, as nodemailer does.
    if (o.auth && this.caps.auth.length > 0) await this.authenticate(o.auth);
    this.pipelining = this.caps.pipelining && !o.disablePipelining;
    this.chunking = this.pipelining && this.caps.chunking && !o.disableChunking;
    this.isReady = true;
  }

  private openSocket(port: number): Promise<void> {
    const o = this.options;
    return new Promise<void>((resolve, reject) => {
      const servername = o.tls?.servername ?? (net.isIP(o.host) ? undefined : o.host);
      const socket = o.secure
        ? tls.connect({ ...o.tls, host: o.host, port, servername })
        : net.connect({ host: o.host, port });
      this.socket = socket;
      this.attach(socket);
      const timer = setTimeout(() => {
        fail(smtpError("Connection timeout", "ETIMEDOUT", { command: "CONN" }));
      }, o.connectionTimeout ?? DEFAULTS.connectionTimeout);
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

  /** Listeners for the life of a socket (the plain one, then the TLS one after STARTTLS). */
  private attach(socket: net.Socket): void {
    socket.on("data", (chunk: Buffer) => this.reader.push(chunk));
    socket.on("error", (error: Error) => {
      this.failure ??= socketError(error);
    });
    socket.on("close", () => this.onClose(socket));
    socket.on("timeout", () => {
      if (this.inFlight.size === 0 && this.waiterHead === this.waiters.length && this.isReady) {
        this.quit(); // idle for socketTimeout: not an error, just let go of the server
      } else {
        this.destroy(smtpError("Timeout", "ETIMEDOUT", { command: "CONN" }));
      }
    });
  }

  private async hello(): Promise<void> {
    const name = this.options.name ?? defaultName();
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
    const o = this.options;
    const plain = this.socket;
    plain.removeAllListeners("data");
    plain.removeAllListeners("close");
    plain.removeAllListeners("timeout");
    return new Promise<void>((resolve, reject) => {
      const servername = o.tls?.servername ?? (net.isIP(o.host) ? undefined : o.host);
      const secure = tls.connect({ ...o.tls, socket: plain, servername });
      this.socket = secure;
      this.attach(secure);
      secure.setTimeout(o.socketTimeout ?? DEFAULTS.socketTimeout);
      const onError = (error: Error) => {
        const e = smtpError(`Error initiating TLS (STARTTLS): ${error.message}`, "ETLS", {
          command: "STARTTLS",
          cause: error,
        });
        this.destroy(e);
        reject(e);
      };
      secure.once("error", onError);
      secure.once("secureConnect", () => {
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
  }

  /** Races a setup step against its own timer (the greeting has one apart from the socket's). */
  private phase<T>(step: Promise<T>, ms: number, timeoutError: () => SmtpError): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        const error = timeoutError();
        this.destroy(error);
        reject(error);
      }, ms);
      step.then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(error as Error);
        },
      );
    });
  }

  private nextReply(): Promise<SmtpReply> {
    return new Promise<SmtpReply>((resolve, reject) => {
      if (this.isClosed) return reject(this.closedError());
      this.setupReject = reject;
      this.waiters.push((reply) => {
        this.setupReject = undefined;
        resolve(reply);
      });
    });
  }

  /** Rejects the setup step in progress when the socket closes under it. */
  private setupReject: ((error: SmtpError) => void) | undefined;

  private command(line: string): Promise<SmtpReply> {
    const reply = this.nextReply();
    this.socket.write(`${line}\r\n`);
    return reply;
  }

  // ---- transactions ------------------------------------------------------------------------------------

  /** Writes the next job's envelope if the connection can take one now. */
  kick(): void {
    if (this.chunking) return this.writeChunked();
    if (!this.canTake) return;
    const job = this.source.pull();
    if (!job) return;
    if (this.pipelining) this.socket.write(this.envelope(job));
    else this.lockStepMail(job);
  }

  private envelope(job: Job): string {
    this.inFlight.add(job);
    this.awaitingData = job;
    let text = `MAIL FROM:<${job.from}>${this.mailParams(job)}\r\n`;
    this.waiters.push((reply) => this.onMail(job, reply));
    for (const address of job.to) {
      text += `RCPT TO:<${address}>\r\n`;
      this.waiters.push((reply) => this.onRcpt(job, address, reply));
    }
    this.waiters.push((reply) => this.onData(job, reply));
    return `${text}DATA\r\n`;
  }

  /** As many waiting transactions as the window takes, in one write. */
  private writeChunked(): void {
    const parts: (string | Buffer)[] = [];
    for (let job; this.canTake && (job = this.source.pull());) parts.push(...this.chunkedTransaction(job));
    if (parts.length === 0) return;
    this.socket.cork();
    for (const part of parts) this.socket.write(part);
    this.socket.uncork();
  }

  /**
   * One whole transaction: MAIL, RCPTs, then BDAT with the message's byte count and the message, so the server
   * always knows where it ends, whatever it thought of the envelope. Every transaction after the session's
   * first starts with RSET, so it begins clean however the one before it ended.
   */
  private chunkedTransaction(job: Job): (string | Buffer)[] {
    this.inFlight.add(job);
    let text = "";
    if (this.transactions++ > 0) {
      text += "RSET\r\n";
      this.waiters.push(() => undefined); // a refused RSET shows in the MAIL reply after it
    }
    text += `MAIL FROM:<${job.from}>${this.mailParams(job)}\r\n`;
    this.waiters.push((reply) => this.onMail(job, reply));
    for (const address of job.to) {
      text += `RCPT TO:<${address}>\r\n`;
      this.waiters.push((reply) => this.onRcpt(job, address, reply));
    }
    this.waiters.push((reply) => this.onBdat(job, reply));
    return [`${text}BDAT ${job.body.chunk.length} LAST\r\n`, job.body.chunk];
  }

  /** The reply to BDAT LAST is the message's: after a refused envelope, the envelope's reason wins. */
  private onBdat(job: Job, reply: SmtpReply): void {
    const envelopeError = this.envelopeError(job);
    if (envelopeError) this.finish(job, envelopeError);
    else this.finishWithReply(job, reply);
    if (this.quitting) return this.quitWhenDone();
    // The replies of one read settle many transactions: refill the window once, after all of them.
    if (this.kickScheduled) return;
    this.kickScheduled = true;
    queueMicrotask(() => {
      this.kickScheduled = false;
      this.kick();
    });
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
      job.mailError = smtpError(`Mail command failed: ${reply.text}`, "EENVELOPE", {
        reply,
        command: "MAIL FROM",
      });
    }
  }

  private onRcpt(job: Job, address: string, reply: SmtpReply): void {
    if (job.mailError) return; // the RCPT replies after a refused MAIL say nothing about the recipients
    if (reply.code === 250 || reply.code === 251) {
      job.accepted.push(address);
      return;
    }
    const error = smtpError(`Recipient command failed: ${reply.text}`, "EENVELOPE", {
      reply,
      command: "RCPT TO",
    });
    (error as SmtpError & { recipient: string }).recipient = address;
    job.rejected.push(address);
    job.rejectedErrors.push(error);
  }

  /**
   * The DATA reply decides what follows. RFC 2920 §3.1: a client that pipelined DATA and got no recipient
   * accepted must not send a body. If the server refused DATA (503/554), nothing was started and an RSET (sent
   * with the next envelope) clears the MAIL it accepted. If it said 354 anyway, the only correct way out is an
   * empty message, "." alone, which it rejects or delivers to nobody.
   */
  private onData(job: Job, reply: SmtpReply): void {
    this.awaitingData = undefined;
    const envelopeError = this.envelopeError(job);
    if (reply.code === 354 && !envelopeError) {
      this.waiters.push((final) => this.onFinal(job, final));
      this.writeAndContinue(job.body.data);
      return;
    }
    if (reply.code === 354) {
      this.waiters.push(() => this.afterJob());
      this.finish(job, envelopeError);
      this.writeAndContinue(".\r\n");
      return;
    }
    this.finish(
      job,
      envelopeError ??
        smtpError(`Data command failed: ${reply.text}`, "EENVELOPE", { reply, command: "DATA" }),
    );
    // RSET's reply is not judged: a server that refuses RSET will refuse the next MAIL, which reports it.
    this.waiters.push(() => this.afterJob());
    this.writeAndContinue("RSET\r\n");
  }

  private onFinal(job: Job, reply: SmtpReply): void {
    this.finishWithReply(job, reply);
    this.afterJob();
  }

  /** The server's verdict on a message's content (after its data, or BDAT LAST): 250 is accepted. */
  private finishWithReply(job: Job, reply: SmtpReply): void {
    if (reply.code === 250) {
      this.completed += 1;
      this.finish(job, undefined, reply.text);
    } else {
      this.finish(job, smtpError(`Message failed: ${reply.text}`, "EMESSAGE", { reply, command: "DATA" }));
    }
  }

  /** A transaction is over: lock-step sends the next one now; a closing connection may say QUIT. */
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
    error.rejected = job.rejected;
    error.rejectedErrors = job.rejectedErrors;
    return error;
  }

  /** Writes `data`, followed in the same packet by the next envelope when pipelining and a job is waiting. */
  private writeAndContinue(data: Buffer | string): void {
    const next = this.pipelining && this.ready ? this.source.pull() : undefined;
    if (!next) {
      this.socket.write(data);
      return;
    }
    const envelope = this.envelope(next);
    if (typeof data === "string") {
      this.socket.write(data + envelope);
    } else {
      this.socket.cork();
      this.socket.write(data);
      this.socket.write(envelope);
      this.socket.uncork();
    }
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

  /** Without PIPELINING every command waits for the reply before it; the same handlers judge the replies. */
  private lockStepMail(job: Job): void {
    this.inFlight.add(job);
    this.awaitingData = job;
    const steps: { line: string; handle: Waiter }[] = [
      { line: `MAIL FROM:<${job.from}>${this.mailParams(job)}`, handle: (r) => this.onMail(job, r) },
      ...job.to.map((address) => ({
        line: `RCPT TO:<${address}>`,
        handle: (r: SmtpReply) => this.onRcpt(job, address, r),
      })),
    ];
    const next = (i: number): void => {
      if (i === steps.length) {
        this.waiters.push((reply) => this.onData(job, reply));
        this.socket.write("DATA\r\n");
        return;
      }
      this.waiters.push((reply) => {
        steps[i]!.handle(reply);
        // After a refused MAIL the rest cannot succeed: go straight to DATA, whose refusal ends the job.
        next(job.mailError ? steps.length : i + 1);
      });
      this.socket.write(`${steps[i]!.line}\r\n`);
    };
    next(0);
  }

  private dispatch(reply: SmtpReply): void {
    const waiter = this.waiters[this.waiterHead];
    if (!waiter) {
      // Nobody asked: a 421 the server sends before closing, or a protocol error. Either way the session ends.
      this.destroy(
        smtpError(`Unexpected reply: ${reply.text}`, reply.code === 421 ? "ECONNECTION" : "EPROTOCOL", {
          reply,
          command: "CONN",
        }),
      );
      return;
    }
    this.waiters[this.waiterHead++] = undefined as unknown as Waiter; // let the closure go
    if (this.waiterHead > 1024 && this.waiterHead * 2 > this.waiters.length) {
      this.waiters = this.waiters.slice(this.waiterHead);
      this.waiterHead = 0;
    }
    waiter(reply);
  }

  // ---- closing -----------------------------------------------------------------------------------------

  /** QUIT once in-flight jobs are done; no new job is taken. */
  quit(): void {
    if (this.isClosed) return;
    this.quitting = true;
    this.quitWhenDone();
  }

  private quitWhenDone(): void {
    if (this.inFlight.size || this.isClosed) return;
    this.waiters.push(() => this.socket.end());
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
    const error = this.quitting && !this.inFlight.size ? undefined : this.closedError();
    if (error) {
      this.setupReject?.(error);
      // A job whose MAIL was refused (a 421 before the close, say) reports that reply rather than the close.
      for (const job of this.inFlight) job.reject(job.mailError ?? error);
    }
    this.inFlight.clear();
    this.waiters = [];
    this.waiterHead = 0;
    this.source.closed(this, error);
  }
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
