// HOTP and TOTP against the RFCs' own test vectors, and the window and replay rules built on them.
import { describe, expect, it } from "vitest";
import {
  base32Decode,
  base32Encode,
  hotp,
  matchTotpStep,
  otpauthUri,
  totp,
  totpStep,
  type HashName,
} from "@/lib/auth/totp";

const ascii = (s: string) => Buffer.from(s, "ascii");
// RFC 6238 appendix B uses a seed of the hash's own length for each algorithm.
const seeds: Record<HashName, Buffer> = {
  sha1: ascii("12345678901234567890"),
  sha256: ascii("12345678901234567890123456789012"),
  sha512: ascii("1234567890123456789012345678901234567890123456789012345678901234"),
};

describe("HOTP (RFC 4226 appendix D)", () => {
  it.each([
    [0, "755224"],
    [1, "287082"],
    [2, "359152"],
    [3, "969429"],
    [4, "338314"],
    [5, "254676"],
    [6, "287922"],
    [7, "162583"],
    [8, "399871"],
    [9, "520489"],
  ])("counter %i → %s", (counter, expected) => {
    expect(hotp(seeds.sha1, counter)).toBe(expected);
  });
});

describe("TOTP (RFC 6238 appendix B, 8 digits)", () => {
  it.each([
    [59, "94287082", "46119246", "90693936"],
    [1111111109, "07081804", "68084774", "25091201"],
    [1111111111, "14050471", "67062674", "99943326"],
    [1234567890, "89005924", "91819424", "93441116"],
    [2000000000, "69279037", "90698825", "38618901"],
    [20000000000, "65353130", "77737706", "47863826"],
  ])("t = %i s", (seconds, sha1, sha256, sha512) => {
    expect(totp(seeds.sha1, seconds * 1000, 8, "sha1")).toBe(sha1);
    expect(totp(seeds.sha256, seconds * 1000, 8, "sha256")).toBe(sha256);
    expect(totp(seeds.sha512, seconds * 1000, 8, "sha512")).toBe(sha512);
  });
});

describe("matching a typed code", () => {
  const secret = seeds.sha1;
  const now = 1_700_000_000_000;
  const step = totpStep(now);

  it.each([
    ["the current step", 0],
    ["the previous step (typed just before it rolled over)", -1],
    ["the next step (a phone clock a little ahead)", 1],
  ])("accepts %s", (_label, offset) => {
    expect(matchTotpStep(secret, totp(secret, now + offset * 30_000), now)).toBe(step + offset);
  });

  it.each([
    ["two steps old", totp(secret, now - 60_000)],
    ["two steps ahead", totp(secret, now + 60_000)],
    ["not six digits", "12345"],
    ["letters", "abcdef"],
    ["empty", ""],
  ])("refuses a code %s", (_label, code) => {
    expect(matchTotpStep(secret, code, now)).toBeNull();
  });
});

describe("base32 and the otpauth URI", () => {
  it.each([
    ["", ""],
    ["f", "MY"],
    ["fo", "MZXQ"],
    ["foo", "MZXW6"],
    ["foob", "MZXW6YQ"],
    ["fooba", "MZXW6YTB"],
    ["foobar", "MZXW6YTBOI"],
  ])("RFC 4648 vector %j ↔ %s", (plain, encoded) => {
    expect(base32Encode(ascii(plain))).toBe(encoded);
    expect(base32Decode(encoded).toString("ascii")).toBe(plain);
  });

  it("decodes what people type: lower case, spaces, padding", () => {
    expect(base32Decode("mzxw 6ytb oi======").toString("ascii")).toBe("foobar");
  });

  it("names the issuer and account and carries the secret an app needs", () => {
    const uri = new URL(otpauthUri(seeds.sha1, "ann@example.com"));
    expect(uri.protocol).toBe("otpauth:");
    expect(uri.host).toBe("totp");
    expect(decodeURIComponent(uri.pathname)).toBe("/SecureVault:ann@example.com");
    expect(base32Decode(uri.searchParams.get("secret")!)).toEqual(seeds.sha1);
    expect(uri.searchParams.get("issuer")).toBe("SecureVault");
    expect(uri.searchParams.get("digits")).toBe("6");
    expect(uri.searchParams.get("period")).toBe("30");
  });
});
