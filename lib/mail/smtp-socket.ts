// Opening the socket of an SMTP session, and upgrading it with STARTTLS, each within its time limit. The
// connection (lib/mail/smtp-connection.ts) attaches its listeners through `attach` before any byte can arrive.

import net from "node:net";
import tls from "node:tls";
import type { SmtpClientOptions } from "@/lib/mail/smtp-options";
import { SmtpError } from "@/lib/mail/smtp-error";

type SocketHooks = {
  /** Called with the new socket at once, before any event. */
  attach: (socket: net.Socket) => void;
  /** Called before the returned promise rejects: the connection records why and closes. */
  fail: (error: SmtpError) => void;
};

/** TCP, or TLS from the first byte when the security is "tls"; resolves once connected (and handshaken). */
export function openSocket(
  options: SmtpClientOptions,
  timeoutMs: number,
  { attach, fail }: SocketHooks,
): Promise<net.Socket> {
  const secure = options.security === "tls";
  const port = options.port ?? (secure ? 465 : 25);
  return new Promise((resolve, reject) => {
    const socket = secure
      ? tls.connect({ ...options.tls, host: options.host, port, servername: tlsServername(options) })
      : net.connect({ host: options.host, port });
    attach(socket);
    const timer = setTimeout(() => {
      failWith(new SmtpError("Connection timeout", "ETIMEDOUT", { command: "CONN" }));
    }, timeoutMs);
    const failWith = (error: SmtpError) => {
      clearTimeout(timer);
      fail(error);
      reject(error);
    };
    const onError = (error: Error) => failWith(socketError(error));
    socket.once("error", onError);
    socket.once(secure ? "secureConnect" : "connect", () => {
      clearTimeout(timer);
      socket.off("error", onError);
      socket.setNoDelay(true);
      resolve(socket);
    });
  });
}

/** The TLS session over `plain` after the server's 220 to STARTTLS; the plain socket's listeners are removed. */
export function startTls(
  plain: net.Socket,
  options: SmtpClientOptions,
  timeoutMs: number,
  { attach, fail }: SocketHooks,
): Promise<tls.TLSSocket> {
  plain.removeAllListeners("data");
  plain.removeAllListeners("close");
  plain.removeAllListeners("timeout");
  return new Promise((resolve, reject) => {
    const secure = tls.connect({
      ...options.tls,
      socket: plain,
      host: options.host,
      servername: tlsServername(options),
    });
    attach(secure);
    const failWith = (error: SmtpError) => {
      clearTimeout(timer);
      fail(error);
      reject(error);
    };
    const timer = setTimeout(
      () =>
        failWith(
          new SmtpError("Timeout during the TLS handshake (STARTTLS)", "ETIMEDOUT", { command: "STARTTLS" }),
        ),
      timeoutMs,
    );
    const onError = (error: Error) =>
      failWith(
        new SmtpError(`Error initiating TLS (STARTTLS): ${error.message}`, "ETLS", {
          command: "STARTTLS",
          cause: error,
        }),
      );
    secure.once("error", onError);
    secure.once("secureConnect", () => {
      clearTimeout(timer);
      secure.off("error", onError);
      resolve(secure);
    });
  });
}

/**
 * The name to ask for (SNI) and to verify the certificate against. An IP address is not sent as SNI (RFC
 * 6066); Node then verifies the certificate against `host`, which is passed along for that.
 */
function tlsServername(options: SmtpClientOptions): string | undefined {
  const name = options.tls?.servername ?? options.host;
  return net.isIP(name) ? undefined : name;
}

/** A socket's error as a connection error, keeping Node's code (a certificate's, say) for the explanation. */
export function socketError(error: Error): SmtpError {
  const socketCode = (error as Error & { code?: string }).code;
  return new SmtpError(error.message, "ECONNECTION", { command: "CONN", cause: error, socketCode });
}
