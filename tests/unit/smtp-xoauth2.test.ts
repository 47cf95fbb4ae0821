import { describe, expect, it } from "vitest";
import { signInWithXoauth2, xoauth2InitialResponse } from "@/lib/mail/smtp-xoauth2";
import type { SmtpReply } from "@/lib/mail/smtp-reply";
import { SmtpError } from "@/lib/mail/smtp-error";

describe("XOAUTH2", () => {
  it.each([
    ["someone@gmail.com", "ya29.token", "user=someone@gmail.com\u0001auth=Bearer ya29.token\u0001\u0001"],
    ["max@contoso.com", "eyJ0eXAi.x.y", "user=max@contoso.com\u0001auth=Bearer eyJ0eXAi.x.y\u0001\u0001"],
  ])("encodes the initial response for %s as base64 of user=…^Aauth=Bearer …^A^A", (user, token, plain) => {
    expect(Buffer.from(xoauth2InitialResponse(user, token), "base64").toString("utf8")).toBe(plain);
  });

  it("answers the server's error challenge with an empty line and reports the final refusal", async () => {
    const challenge = Buffer.from(JSON.stringify({ status: "401", schemes: "bearer", scope: "x" })).toString(
      "base64",
    );
    const replies: SmtpReply[] = [
      { code: 334, text: challenge },
      { code: 535, text: "5.7.8 Username and Password not accepted" },
    ];
    const sent: string[] = [];
    const error = await signInWithXoauth2(
      async (line) => {
        sent.push(line);
        return replies.shift()!;
      },
      { user: "a@b.test", accessToken: async () => "SECRET-TOKEN-123" },
    ).catch((e: unknown) => e as SmtpError);
    expect(sent).toEqual([`AUTH XOAUTH2 ${xoauth2InitialResponse("a@b.test", "SECRET-TOKEN-123")}`, ""]);
    expect(error).toBeInstanceOf(SmtpError);
    expect(error).toMatchObject({ code: "EAUTH", reply: { code: 535 }, oauth: true });
    expect(error!.reply?.text).toContain("status 401");
    expect(error!.message).not.toContain("SECRET-TOKEN-123");
  });

  it("signs in on 235", async () => {
    await expect(
      signInWithXoauth2(async () => ({ code: 235, text: "2.7.0 Accepted" }), {
        user: "a@b.test",
        accessToken: async () => "tok",
      }),
    ).resolves.toBeUndefined();
  });
});
