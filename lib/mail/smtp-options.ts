// What the SMTP client (lib/mail/smtp-client.ts) is told about a server, in the project's own words: the same
// options serve delivery and "Test connection" (lib/mail/transport.ts makes them from a sender).

import type tls from "node:tls";
import type { Xoauth2Credentials } from "@/lib/mail/smtp-xoauth2";

/**
 * How the session is protected, as a sender's security setting says it:
 * - "tls": TLS from the first byte (implicit TLS, port 465);
 * - "starttls": plaintext first, then STARTTLS, which must succeed (tried even when not offered: some servers
 *   offer it only when asked);
 * - "starttls-if-offered": STARTTLS when the server offers it, plaintext otherwise;
 * - "none": plaintext throughout, even when STARTTLS is offered.
 */
export type SmtpSecurity = "tls" | "starttls" | "starttls-if-offered" | "none";

/** Each wait has its own limit (RFC 5321 §4.5.3.2), in ms. */
export type SmtpTimeouts = {
  /** Establishing the TCP connection (and, for implicit TLS, the TLS session). */
  connect: number;
  /** From connecting to the server's greeting. */
  greeting: number;
  /** The reply to a command (EHLO, STARTTLS and its handshake, AUTH, MAIL, RCPT, DATA, RSET). */
  command: number;
  /** The server's verdict after the message data (RFC 5321 §4.5.3.2: 10 minutes). */
  finalReply: number;
  /** How long a session with nothing to do stays open before it says QUIT. */
  idle: number;
};

export const SMTP_DEFAULT_TIMEOUTS: SmtpTimeouts = {
  connect: 60_000,
  greeting: 300_000,
  command: 300_000,
  finalReply: 600_000,
  idle: 60_000,
};

/** A username and password, for AUTH PLAIN or LOGIN (lib/mail/smtp-auth.ts). */
export type SmtpCredentials = { user: string; pass: string };

export type SmtpClientOptions = {
  host: string;
  /** 465 for "tls", 25 otherwise, when unset. */
  port?: number;
  security: SmtpSecurity;
  /** Passed to tls.connect; `servername` names the certificate to verify when `host` is an IP address. */
  tls?: tls.ConnectionOptions;
  /** Our name in EHLO/HELO (lib/mail/ehlo-name.ts picks one when unset). */
  name?: string;
  /** A password, or (XOAUTH2, lib/mail/smtp-xoauth2.ts) an OAuth access token fetched for each connection. */
  auth?: SmtpCredentials | Xoauth2Credentials;
  /** Fail unless the server offers AUTH and we sign in: no open relays for a user's custom server. */
  requireAuth?: boolean;
  /** The mechanism to use; by default PLAIN when offered (or nothing is), else LOGIN. */
  authMethod?: "PLAIN" | "LOGIN";
  /** Any limit left out takes its value from SMTP_DEFAULT_TIMEOUTS. */
  timeouts?: Partial<SmtpTimeouts>;
  /** Talk lock-step even when PIPELINING is offered (for measuring, or for servers that lie about it). */
  disablePipelining?: boolean;
  /** Use DATA even when CHUNKING is offered. */
  disableChunking?: boolean;
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

export function timeoutsOf(options: SmtpClientOptions): SmtpTimeouts {
  const timeouts = { ...SMTP_DEFAULT_TIMEOUTS };
  for (const [key, value] of Object.entries(options.timeouts ?? {}))
    if (value !== undefined) timeouts[key as keyof SmtpTimeouts] = value;
  return timeouts;
}
