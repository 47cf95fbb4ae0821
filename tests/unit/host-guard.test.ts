import { describe, expect, it } from "vitest";
import { isPrivateAddress, resolveSmtpTarget, UnsafeSmtpTargetError } from "@/lib/mail/host-guard";

describe("isPrivateAddress", () => {
  it.each([
    ["127.0.0.1", true],
    ["127.1.2.3", true],
    ["10.0.0.5", true],
    ["172.16.0.1", true],
    ["172.31.255.255", true],
    ["192.168.1.1", true],
    ["169.254.169.254", true], // cloud metadata
    ["100.64.0.1", true],
    ["0.0.0.0", true],
    ["::1", true],
    ["::", true],
    ["::ffff:127.0.0.1", true],
    ["::ffff:10.1.2.3", true],
    ["::ffff:7f00:1", true], // ::ffff:127.0.0.1 in hex
    ["0:0:0:0:0:ffff:127.0.0.1", true],
    ["::ffff:a9fe:a9fe", true], // metadata, hex-mapped
    ["::127.0.0.1", true], // IPv4-compatible (deprecated)
    ["0:0:0:0:0:0:0:1", true],
    ["::ffff:0.0.0.0", true],
    ["fe80::1", true],
    ["fd12:3456::1", true],
    ["fec0::1", true], // site-local
    ["feff:ffff::1", true], // top of fec0::/10
    ["2002:7f00:1::", true], // 6to4 around 127.0.0.1
    ["2002:a00:1::1", true], // 6to4 around 10.0.0.1
    ["2001:0:4136:e378:8000:63bf:3fff:fdd2", true], // Teredo
    ["2001::1", true],
    ["64:ff9b:1::a00:1", true], // local-use NAT64 around 10.0.0.1
    ["64:ff9b::7f00:1", true], // well-known NAT64 around 127.0.0.1
    ["2001:1::1", false], // next to Teredo, outside it
    ["2003::1", false], // next to 6to4, outside it
    ["64:ff9b:2::1", false], // next to local-use NAT64, outside it
    ["not-an-ip", true],
    ["8.8.8.8", false],
    ["172.32.0.1", false],
    ["142.250.1.108", false],
    ["2a00:1450:4001:80b::200e", false],
    ["::ffff:8.8.8.8", false],
  ])("%s → %s", (address, expected) => {
    expect(isPrivateAddress(address)).toBe(expected);
  });
});

describe("resolveSmtpTarget", () => {
  // "localhost" resolves to 127.0.0.1 (and ::1) through the system resolver: a name is judged by its addresses.
  // (127.0.0.1 itself is on this suite's SMTP_ALLOWED_HOSTS, for the tests' own SMTP servers.)
  it.each(["localhost", "127.0.0.2", "[::1]", "[::ffff:127.0.0.1]", "::ffff:7f00:1", "169.254.169.254"])(
    "refuses %s, which is or resolves to a loopback/private address",
    async (host) => {
      await expect(resolveSmtpTarget(host, 587)).rejects.toBeInstanceOf(UnsafeSmtpTargetError);
    },
  );

  it("lets an admin-allowlisted host through (SMTP_ALLOWED_HOSTS=127.0.0.1 here)", async () => {
    await expect(resolveSmtpTarget("127.0.0.1", 2525)).resolves.toMatchObject({ address: "127.0.0.1" });
  });

  it("refuses a non-SMTP port before any lookup", async () => {
    await expect(resolveSmtpTarget("8.8.8.8", 6379)).rejects.toThrow(/not an SMTP port/);
  });

  it("connects to the address it checked, keeping the name for TLS", async () => {
    await expect(resolveSmtpTarget("8.8.8.8", 465)).resolves.toEqual({
      address: "8.8.8.8",
      servername: "8.8.8.8",
    });
  });
});
