// Turns SMTP failures (our client's errors, which carry nodemailer's field names) into plain words, and decides
// whether trying again can help.

export type SmtpFailure = { message: string; permanent: boolean; responseCode?: number; response?: string };

type SmtpLikeError = Error & {
  code?: string;
  originalCode?: string;
  responseCode?: number;
  response?: string;
  command?: string;
  sizeLimit?: number;
  rejected?: string[];
  rejectedErrors?: SmtpLikeError[];
};

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
  const e = (error ?? {}) as SmtpLikeError;
  const where = server?.host ? `${server.host}${server.port ? `:${server.port}` : ""}` : "the mail server";
  const reply = e.response ? ` The server said: "${e.response.trim()}"` : "";
  const detail = `${e.message ?? ""} ${e.code ?? ""}`.toLowerCase();

  if (e.code === "EUNSAFE" || e.code === "EREAUTH") return { message: e.message, permanent: true };
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
  if (e.code === "EAUTH" && e.responseCode !== undefined && e.responseCode < 500) {
    // 454 and friends: the server could not check the login just now (its password backend is down, say).
    return {
      message: `${where} could not check the login just now (${e.responseCode}); it will be tried again.${reply}`,
      permanent: false,
      responseCode: e.responseCode,
      response: e.response,
    };
  }
  if (e.code === "EAUTH" || e.responseCode === 535 || e.responseCode === 534) {
    return {
      message: `${where} rejected the username or password. For Gmail and Yahoo, use an app password.${reply}`,
      permanent: true,
      responseCode: e.responseCode,
      response: e.response,
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
  if (e.responseCode === 552 && isAboutSize(e)) {
    const limit = e.sizeLimit ? ` It accepts messages up to ${formatBytes(e.sizeLimit)}.` : "";
    return {
      message: `${where} refused the message as too large (552).${limit} Remove attachments or send it in parts.${reply}`,
      permanent: true,
      responseCode: e.responseCode,
      response: e.response,
    };
  }
  // An SMTP reply code is the server's own word: it decides before any guess from the error text.
  if (typeof e.responseCode === "number") {
    const permanent = e.responseCode >= 500;
    const what =
      e.code === "EENVELOPE"
        ? "refused the recipients"
        : e.command === "CONN"
          ? "refused the connection"
          : "refused the message";
    return {
      message: `${where} ${what} (${e.responseCode}).${reply}`,
      permanent,
      responseCode: e.responseCode,
      response: e.response,
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
function certificateProblem(e: SmtpLikeError): string | undefined {
  const cause = e.cause as (Error & { code?: string }) | undefined;
  const code = [cause?.code, e.originalCode, e.code].find((c) => c && CERTIFICATE_CODES.has(c));
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
function isAboutSize(e: SmtpLikeError): boolean {
  const text = e.response ?? "";
  if (/\b5\.2\.2\b/.test(text)) return false;
  return /\b5\.3\.4\b|\b5\.2\.3\b|too (big|large)|size|exceed/i.test(text) || e.command === "DATA";
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}
