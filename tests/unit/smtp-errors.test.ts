import { describe, expect, it } from "vitest";
import { SmtpError, type SmtpErrorCode } from "@/lib/mail/smtp-error";
import { describeSmtpError } from "@/lib/mail/smtp-errors";
import type { SmtpReply } from "@/lib/mail/smtp-reply";

const server = { host: "smtp.example.com", port: 587 };
const CLIENT_CODES = new Set([
  "ECONNECTION",
  "ETIMEDOUT",
  "EAUTH",
  "ENOAUTH",
  "ETLS",
  "EENVELOPE",
  "EMESSAGE",
  "EPROTOCOL",
  "ECLOSED",
  "EUNCONFIRMED",
]);

/** The client's SmtpError for its codes; a plain error with a code (a DNS or socket error) otherwise. */
const err = (props: {
  code: string;
  message?: string;
  reply?: SmtpReply;
  command?: string;
  socketCode?: string;
  sizeLimit?: number;
  cause?: Error;
}) => {
  const message = props.message ?? "boom";
  if (!CLIENT_CODES.has(props.code))
    return Object.assign(new Error(message, { cause: props.cause }), { code: props.code });
  const error = new SmtpError(message, props.code as SmtpErrorCode, props);
  if (props.sizeLimit) error.sizeLimit = props.sizeLimit;
  return error;
};

describe("describeSmtpError", () => {
  it.each([
    [
      "wrong password",
      err({ code: "EAUTH", reply: { code: 535, text: "535 5.7.8 Bad credentials" } }),
      /username or password/,
      true,
    ],
    [
      "a temporary login failure",
      err({ code: "EAUTH", reply: { code: 454, text: "454 4.7.0 Temporary authentication failure" } }),
      /could not check the login just now \(454\)/,
      false,
    ],
    [
      "host not found",
      err({ code: "EDNS", message: "getaddrinfo ENOTFOUND smtp.example.com" }),
      /Host not found/,
      false,
    ],
    [
      "TLS on a STARTTLS port",
      err({
        code: "ESOCKET",
        message: "1234:error:0A00010B:SSL routines:ssl3_get_record:wrong version number",
      }),
      /TLS mode mismatch/,
      false,
    ],
    [
      "greeting never received",
      err({ code: "ETIMEDOUT", message: "Greeting never received" }),
      /never greeted us \(greeting timeout\)\. The server may be overloaded/,
      false,
    ],
    ["timeout", err({ code: "ETIMEDOUT", message: "Connection timeout" }), /Timed out/, false],
    [
      "connection refused",
      err({ code: "ESOCKET", message: "connect ECONNREFUSED 127.0.0.1:587" }),
      /refused the connection/,
      false,
    ],
    [
      "STARTTLS not offered",
      err({ code: "ETLS", message: "STARTTLS required but not offered" }),
      /did not offer the TLS/,
      true,
    ],
    [
      "a 550 rejection",
      err({ code: "EENVELOPE", reply: { code: 550, text: "550 5.1.1 No such user" } }),
      /refused the recipients \(550\)/,
      true,
    ],
    [
      "a 451 deferral",
      err({ code: "EMESSAGE", reply: { code: 451, text: "451 4.3.0 Try later" } }),
      /refused the message \(451\)/,
      false,
    ],
    [
      "421 at connect",
      err({ code: "EPROTOCOL", command: "CONN", reply: { code: 421, text: "421 Too busy" } }),
      /refused the connection \(421\)/,
      false,
    ],
    [
      "a final reply that never came",
      err({ code: "EUNCONFIRMED", message: "no final reply within 600 s after the message was sent" }),
      /^The server smtp\.example\.com:587 did not confirm the message: no final reply within 600 s.*It may have arrived; it will be tried again with the same Message-ID/,
      false,
    ],
    [
      "a self-signed certificate on STARTTLS",
      err({
        code: "ETLS",
        message: "Error initiating TLS (STARTTLS): self-signed certificate",
        cause: Object.assign(new Error("self-signed certificate"), { code: "DEPTH_ZERO_SELF_SIGNED_CERT" }),
      }),
      /certificate of smtp\.example\.com:587 is not trusted \(it is self-signed\).*SMTP_CA_FILE/,
      true,
    ],
    [
      "an unknown CA on implicit TLS",
      err({
        code: "ECONNECTION",
        socketCode: "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
        message: "unable to verify the first certificate",
      }),
      /is not trusted \(it is not signed by a known certificate authority\)/,
      true,
    ],
    [
      "552 at the end of the data, with the server's SIZE",
      err({
        code: "EMESSAGE",
        command: "DATA",
        reply: { code: 552, text: "552 5.3.4 Message too big" },
        sizeLimit: 10485760,
      }),
      /refused the message as too large \(552\)\. It accepts messages up to 10 MB/,
      true,
    ],
    [
      "552 mailbox full is not about size",
      err({ code: "EENVELOPE", command: "RCPT TO", reply: { code: 552, text: "552 5.2.2 Mailbox full" } }),
      /refused the recipients \(552\)/,
      true,
    ],
  ])("%s", (_name, error, message, permanent) => {
    const result = describeSmtpError(error, server);
    expect(result.message).toMatch(message);
    expect(result.permanent).toBe(permanent);
  });
});

describe("describeSmtpError: a server that never greets", () => {
  const silent = err({ code: "ETIMEDOUT", message: "Greeting never received" });
  it.each([
    [465, "starttls", true],
    [465, "none", true],
    [465, "tls", false],
    [587, "starttls", false],
    [2525, "none", false],
    [465, undefined, false],
  ])("port %s with security %s: TLS hint %s", (port, security, hint) => {
    const { message, permanent } = describeSmtpError(silent, { host: "smtp.example.com", port, security });
    expect(message).toMatch(/greeting timeout/);
    expect(/SSL\/TLS/.test(message)).toBe(hint);
    expect(permanent).toBe(false);
  });
});
