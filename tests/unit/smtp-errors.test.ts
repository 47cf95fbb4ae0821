import { describe, expect, it } from "vitest";
import { describeSmtpError } from "@/lib/mail/smtp-errors";

const server = { host: "smtp.example.com", port: 587 };
const err = (props: Record<string, unknown>) =>
  Object.assign(new Error(String(props.message ?? "boom")), props);

describe("describeSmtpError", () => {
  it.each([
    [
      "wrong password",
      err({ code: "EAUTH", responseCode: 535, response: "535 5.7.8 Bad credentials" }),
      /username or password/,
      true,
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
      /never greeted/,
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
      err({ code: "EENVELOPE", responseCode: 550, response: "550 5.1.1 No such user" }),
      /refused the recipients \(550\)/,
      true,
    ],
    [
      "a 451 deferral",
      err({ code: "EMESSAGE", responseCode: 451, response: "451 4.3.0 Try later" }),
      /refused the message \(451\)/,
      false,
    ],
    [
      "421 at connect",
      err({ code: "EPROTOCOL", command: "CONN", responseCode: 421, response: "421 Too busy" }),
      /refused the connection \(421\)/,
      false,
    ],
  ])("%s", (_name, error, message, permanent) => {
    const result = describeSmtpError(error, server);
    expect(result.message).toMatch(message);
    expect(result.permanent).toBe(permanent);
  });
});
