import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { sendMessageBody } from "@/lib/validation/messages";
import { createSenderBody } from "@/lib/validation/senders";

const base = {
  idempotencyKey: randomUUID(),
  senderId: "s1",
  to: [{ address: "a@example.com" }],
  subject: "Hi",
  html: "<p>x</p>",
};

describe("sendMessageBody", () => {
  it.each([
    ["a minimal valid message", {}, true],
    ["recipients only in Bcc", { to: [], bcc: [{ address: "b@example.com" }] }, true],
    ["an empty subject", { subject: "" }, true],
    ["a subject of exactly 998 characters", { subject: "x".repeat(998) }, true],
    ["a subject of 999 characters", { subject: "x".repeat(999) }, false],
    ["no recipients anywhere", { to: [] }, false],
    [
      "100 recipients across To/Cc/Bcc",
      { to: Array(50).fill({ address: "a@example.com" }), cc: Array(50).fill({ address: "b@example.com" }) },
      true,
    ],
    [
      "101 recipients across To/Cc/Bcc",
      { to: Array(51).fill({ address: "a@example.com" }), cc: Array(50).fill({ address: "b@example.com" }) },
      false,
    ],
    ["a LF in the subject", { subject: "a\nb" }, false],
    ["a CR in a name", { to: [{ address: "a@example.com", name: "x\ry" }] }, false],
    ["a non-UUID key", { idempotencyKey: "abc" }, false],
  ])("%s", (_name, overrides, ok) => {
    expect(sendMessageBody.safeParse({ ...base, ...overrides }).success).toBe(ok);
  });
});

describe("createSenderBody", () => {
  it.each([
    ["a Gmail preset", { preset: "gmail", fromEmail: "me@gmail.com", password: "app" }, true],
    [
      "a custom server",
      {
        preset: "custom",
        fromEmail: "me@x.org",
        password: "p",
        host: "smtp.x.org",
        port: "587",
        security: "starttls",
      },
      true,
    ],
    [
      "a custom server with no host",
      { preset: "custom", fromEmail: "me@x.org", password: "p", port: 587, security: "tls" },
      false,
    ],
    [
      "a host with spaces",
      {
        preset: "custom",
        fromEmail: "me@x.org",
        password: "p",
        host: "smtp x.org",
        port: 587,
        security: "tls",
      },
      false,
    ],
  ])("%s", (_name, input, ok) => {
    expect(createSenderBody.safeParse(input).success).toBe(ok);
  });
});
