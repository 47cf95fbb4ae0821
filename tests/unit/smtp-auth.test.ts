import { describe, expect, it } from "vitest";
import { authenticate, chooseMechanism } from "@/lib/mail/smtp-auth";
import { SmtpError } from "@/lib/mail/smtp-error";
import type { SmtpReply } from "@/lib/mail/smtp-reply";

/** A server's side of the exchange: each line the client writes, and the reply it gets. */
function server(replies: string[]) {
  const lines: string[] = [];
  const command = async (line: string): Promise<SmtpReply> => {
    lines.push(line);
    const text = replies.shift() ?? "503 5.5.1 out of script";
    return { code: Number(text.slice(0, 3)), text };
  };
  return { lines, command };
}

const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64");

describe("smtp-auth", () => {
  it.each([
    [["PLAIN", "LOGIN"], "PLAIN"],
    [["LOGIN"], "LOGIN"],
    [["CRAM-MD5"], "PLAIN"],
  ] as const)("offered %j: uses %s", (offered, expected) => {
    expect(chooseMechanism([...offered])).toBe(expected);
  });

  it("PLAIN: one line with the user and password, signed in on 235", async () => {
    const s = server(["235 2.7.0 Authentication successful"]);
    await authenticate(s.command, { user: "me@acme.test", pass: "pässword" }, ["PLAIN"]);
    expect(s.lines).toEqual([`AUTH PLAIN ${b64("\u0000me@acme.test\u0000pässword")}`]);
  });

  it("LOGIN: the user and the password each after a 334", async () => {
    const s = server(["334 VXNlcm5hbWU6", "334 UGFzc3dvcmQ6", "235 2.7.0 ok"]);
    await authenticate(s.command, { user: "me", pass: "pw" }, ["LOGIN"]);
    expect(s.lines).toEqual(["AUTH LOGIN", b64("me"), b64("pw")]);
  });

  it("a refusal is an EAUTH SmtpError with the server's reply and the mechanism tried", async () => {
    const s = server(["535 5.7.8 Authentication credentials invalid"]);
    const error = await authenticate(s.command, { user: "me", pass: "wrong" }, ["PLAIN"]).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SmtpError);
    expect(error).toMatchObject({
      code: "EAUTH",
      command: "AUTH PLAIN",
      reply: { code: 535, text: "535 5.7.8 Authentication credentials invalid" },
    });
    expect(s.lines).toHaveLength(1); // no second try
  });
});
