// Turns nodemailer/SMTP failures into plain words, and decides whether trying again can help.

export type SmtpFailure = { message: string; permanent: boolean; responseCode?: number; response?: string };

type NodemailerError = Error & {
  code?: string;
  responseCode?: number;
  response?: string;
  command?: string;
  rejected?: string[];
  rejectedErrors?: NodemailerError[];
};

export function describeSmtpError(error: unknown, server?: { host?: string; port?: number }): SmtpFailure {
  const e = (error ?? {}) as NodemailerError;
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
  if (e.code === "EAUTH" || e.responseCode === 535 || e.responseCode === 534) {
    return {
      message: `${where} rejected the username or password. For Gmail and Yahoo, use an app password.${reply}`,
      permanent: true,
      responseCode: e.responseCode,
      response: e.response,
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
  if (/greeting never received|greeting/.test(detail)) {
    return {
      message: `${where} accepted the connection but never greeted us. This often means a TLS mode mismatch (465 uses SSL/TLS, 587 STARTTLS).`,
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
