// Turns SMTP failures (the client's SmtpError, lib/mail/smtp-error.ts, and the errors met before a session
// starts: a name that does not resolve, an unsafe address, a password entered for another server) into plain
// words, and decides whether trying again can help.

import { SmtpError } from "@/lib/mail/smtp-error";
import type { SmtpReply } from "@/lib/mail/smtp-reply";

/** A failure in words; `reply` is the server's reply that caused it, when one did. */
export type SmtpFailure = { message: string; permanent: boolean; reply?: SmtpReply };

/** What the classifier reads of any error: an SmtpError's own fields, or a plain error's code and message. */
type Fault = {
  code?: string;
  message: string;
  cause?: unknown;
  replyCode?: number;
  replyText?: string;
  command?: string;
  socketCode?: string;
  sizeLimit?: number;
  /** Set on a refused OAuth sign-in (lib/mail/smtp-xoauth2.ts). */
  oauth?: boolean;
};

function replyOf(e: Fault): SmtpReply | undefined {
  return e.replyCode === undefined
    ? undefined
    : { code: e.replyCode, text: e.replyText ?? String(e.replyCode) };
}

function faultOf(error: unknown): Fault {
  if (error instanceof SmtpError) {
    return {
      code: error.code,
      message: error.message,
      cause: error.cause,
      replyCode: error.reply?.code,
      replyText: error.reply?.text,
      command: error.command,
      socketCode: error.socketCode,
      sizeLimit: error.sizeLimit,
      oauth: error.oauth,
    };
  }
  if (error instanceof Error) {
    const code = (error as Error & { code?: unknown }).code;
    return { code: typeof code === "string" ? code : undefined, message: error.message, cause: error.cause };
  }
  return { message: String(error ?? "unknown error") };
}

export type SmtpServerDescription = {
  host?: string;
  port?: number;
  /** The sender's security setting: decides whether a silent server is worth a TLS hint. */
  security?: string;
};

// Node's codes for a certificate it would not accept (node:tls, OpenSSL's verify results).
const CERTIFICATE_CODES = new Set([
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "CERT_UNTRUSTED",
  "CERT_REJECTED",
  "ERR_TLS_CERT_ALTNAME_INVALID",
]);

export function describeSmtpError(error: unknown, server?: SmtpServerDescription): SmtpFailure {
  const e = faultOf(error);
  const where = server?.host ? `${server.host}${server.port ? `:${server.port}` : ""}` : "the mail server";
  const reply = e.replyText ? ` The server said: "${e.replyText.trim()}"` : "";
  const detail = `${e.message ?? ""} ${e.code ?? ""}`.toLowerCase();

  if (e.code === "EUNSAFE" || e.code === "EREAUTH") return { message: e.message, permanent: true };
  // An OAuth sender's token was refused (lib/mail/smtp-xoauth2.ts, lib/oauth/tokens.ts): the fix is to reconnect.
  if (e.code === "EAUTH" && e.oauth && (e.replyCode ?? 535) >= 500) {
    return { message: `${e.message}${reply}`, permanent: true, reply: replyOf(e) };
  }
  if (e.code === "ENOAUTH") {
    return {
      message: `${where} does not ask for a username and password. SecureVault sends only through servers that sign you in: use your provider's submission port (587 or 465), or ask the administrator to allow this server.`,
      permanent: true,
    };
  }
  if (e.code === "EUNCONFIRMED") {
    // The message may well have arrived: not a failure, and never worded as one.
    const who = where.startsWith("the ") ? `The ${where.slice(4)}` : `The server ${where}`;
    return {
      message: `${who} did not confirm the message: ${e.message}. It may have arrived; it will be tried again with the same Message-ID, so a copy that did arrive can be recognised.`,
      permanent: false,
    };
  }
  if (e.code === "EAUTH" && e.replyCode !== undefined && e.replyCode < 500) {
    // 454 and friends: the server could not check the login just now (its password backend is down, say).
    return {
      message: `${where} could not check the login just now (${e.replyCode}); it will be tried again.${reply}`,
      permanent: false,
      reply: replyOf(e),
    };
  }
  if (e.code === "EAUTH" || e.replyCode === 535 || e.replyCode === 534) {
    return {
      message: `${where} rejected the username or password. For Gmail and Yahoo, use an app password.${reply}`,
      permanent: true,
      reply: replyOf(e),
    };
  }
  const certificate = certificateProblem(e);
  if (certificate) {
    return {
      message: `The certificate of ${where} is not trusted (${certificate}). Check the server name; if this is your own server with a private certificate authority, an administrator can add that CA with SMTP_CA_FILE.`,
      permanent: true,
    };
  }
  if (e.code === "EDNS" || /enotfound|eai_again|getaddrinfo/.test(detail)) {
    return {
      message: `Host not found: ${server?.host ?? "the server"} does not resolve. Check the server name.`,
      permanent: false,
    };
  }
  if (e.code === "ETLS" || /starttls|tls required|not offer/.test(detail)) {
    // A server that does not offer STARTTLS will not start to on its own: fail now and say what to change.
    return {
      message: `${where} did not offer the TLS encryption this sender requires. Check the port and the security setting.${reply}`,
      permanent: true,
    };
  }
  if (e.replyCode === 552 && isAboutSize(e)) {
    const limit = e.sizeLimit ? ` It accepts messages up to ${formatBytes(e.sizeLimit)}.` : "";
    return {
      message: `${where} refused the message as too large (552).${limit} Remove attachments or send it in parts.${reply}`,
      permanent: true,
      reply: replyOf(e),
    };
  }
  // An SMTP reply code is the server's own word: it decides before any guess from the error text.
  if (typeof e.replyCode === "number") {
    const permanent = e.replyCode >= 500;
    const what =
      e.code === "EENVELOPE"
        ? "refused the recipients"
        : e.command === "CONN"
          ? "refused the connection"
          : "refused the message";
    return {
      message: `${where} ${what} (${e.replyCode}).${reply}`,
      permanent,
      reply: replyOf(e),
    };
  }
  if (
    /wrong version number|ssl3_get_record|packet length too long|unknown protocol|tls.*before secure|\beproto\b/.test(
      detail,
    )
  ) {
    return {
      message: `TLS mode mismatch with ${where}: port 465 normally uses SSL/TLS and port 587 uses STARTTLS.`,
      permanent: false,
    };
  }
  if (/greeting never received/.test(detail)) {
    // A server on 465 waits for our TLS hello and never greets a plaintext client: then a hint helps.
    const tlsHint =
      server?.port === 465 && server.security !== undefined && server.security !== "tls"
        ? ' Port 465 expects SSL/TLS from the first byte: choose the security setting "SSL/TLS".'
        : "";
    return {
      message: `${where} accepted the connection but never greeted us (greeting timeout).${tlsHint || " The server may be overloaded, or something between us holds the connection."}`,
      permanent: false,
    };
  }
  if (e.code === "ETIMEDOUT" || /timeout|timed out/.test(detail)) {
    return {
      message: `Timed out waiting for ${where}. Check the host, the port and any firewall.`,
      permanent: false,
    };
  }
  if (/econnrefused/.test(detail)) {
    return { message: `${where} refused the connection. Check the port.`, permanent: false };
  }
  if (/econnreset|socket closed|connection closed|unexpected socket close/.test(detail)) {
    return {
      message: `The connection to ${where} was dropped before the message was accepted.`,
      permanent: false,
    };
  }
  return { message: `Could not send through ${where}: ${e.message ?? "unknown error"}.`, permanent: false };
}

/** Why a certificate was refused, in a few words, or undefined when the failure is not about one. */
function certificateProblem(e: Fault): string | undefined {
  const cause = e.cause as (Error & { code?: string }) | undefined;
  const code = [cause?.code, e.socketCode, e.code].find((c) => c && CERTIFICATE_CODES.has(c));
  const text = `${cause?.message ?? ""} ${e.message ?? ""}`;
  if (
    !code &&
    !/self[- ]signed certificate|unable to verify the first certificate|certificate has expired/i.test(text)
  ) {
    return undefined;
  }
  if (code === "ERR_TLS_CERT_ALTNAME_INVALID") return "it was issued for another name";
  if (code === "CERT_HAS_EXPIRED" || /expired/i.test(text)) return "it has expired";
  if (/self[- ]signed/i.test(text) || code?.includes("SELF_SIGNED")) return "it is self-signed";
  return "it is not signed by a known certificate authority";
}

/** 552 also means "mailbox full" (5.2.2); size refusals say 5.3.4 / 5.2.3 or talk about size. */
function isAboutSize(e: Fault): boolean {
  const text = e.replyText ?? "";
  if (/\b5\.2\.2\b/.test(text)) return false;
  return /\b5\.3\.4\b|\b5\.2\.3\b|too (big|large)|size|exceed/i.test(text) || e.command === "DATA";
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}
