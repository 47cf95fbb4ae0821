import { describe, expect, it } from "vitest";
import { ehloName } from "@/lib/mail/ehlo-name";

describe("ehloName", () => {
  it.each([
    [
      "the setting wins",
      { configured: "mx.example.org", appUrl: "https://app.example.com", hostname: "h.lan.example" },
      "mx.example.org",
    ],
    [
      "APP_URL's host",
      { appUrl: "https://mail.example.com:8443/app", hostname: "c0ffee" },
      "mail.example.com",
    ],
    [
      "a dotted machine name when APP_URL is local",
      { appUrl: "http://localhost:3000", hostname: "box.example.net" },
      "box.example.net",
    ],
    [
      "APP_URL as an IP address is skipped",
      { appUrl: "http://127.0.0.1:3000", hostname: "box.example.net" },
      "box.example.net",
    ],
    [
      "a container's bare host name",
      { appUrl: "http://localhost:3000", hostname: "3f9a2b1c0d4e" },
      "localhost.localdomain",
    ],
    ["nothing known", {}, "localhost.localdomain"],
    ["a .local mDNS name is not a public name", { hostname: "laptop.local" }, "localhost.localdomain"],
    ["a malformed URL is ignored", { appUrl: "not a url", hostname: "Box.Example.NET" }, "box.example.net"],
  ])("%s", (_name, sources, expected) => {
    const name = ehloName(sources);
    expect(name).toBe(expected);
    expect(name).not.toMatch(/^\[/);
  });
});
