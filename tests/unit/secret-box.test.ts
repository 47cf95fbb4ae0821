import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { getInstanceSecrets } from "@/lib/crypto/instance-secrets";
import { decryptSecret, encryptSecret, senderSecretContext } from "@/lib/crypto/secret-box";
import { env } from "@/lib/env";

describe("secret box (AES-256-GCM)", () => {
  const context = senderSecretContext("sender-a");

  it("round-trips and uses a fresh IV every time", () => {
    const a = encryptSecret("app password ✓", context);
    const b = encryptSecret("app password ✓", context);
    expect(a).not.toBe(b);
    expect(decryptSecret(a, context)).toBe("app password ✓");
  });

  const part = (e: string, i: number, to: (p: string) => string) =>
    e
      .split(".")
      .map((p, j) => (j === i ? to(p) : p))
      .join(".");

  it.each([
    ["a flipped ciphertext byte", (e: string) => e.slice(0, -2) + (e.at(-2) === "A" ? "B" : "A") + e.at(-1)],
    ["a different tag", (e: string) => part(e, 3, (p) => "A".repeat(p.length))],
    // GCM accepts tags from 4 bytes up unless told otherwise: a forger then needs far fewer tries.
    [
      "a tag cut to 12 bytes",
      (e: string) => part(e, 3, (p) => Buffer.from(p, "base64url").subarray(0, 12).toString("base64url")),
    ],
    [
      "a tag cut to 4 bytes",
      (e: string) => part(e, 3, (p) => Buffer.from(p, "base64url").subarray(0, 4).toString("base64url")),
    ],
    ["an unknown key id", (e: string) => e.replace(/^v2\.[0-9a-f]{8}/, "v2.deadbeef")],
    // A v2 envelope relabelled v1 would skip the associated data: it must not decrypt.
    ["a v2 envelope relabelled v1", (e: string) => e.replace(/^v2\./, "v1.")],
    ["garbage", () => "not-an-envelope"],
  ])("refuses %s", (_name, tamper) => {
    expect(() => decryptSecret(tamper(encryptSecret("secret", context)), context)).toThrow();
  });

  it("refuses an envelope moved to another record: it is bound to its own", () => {
    const envelope = encryptSecret("secret", senderSecretContext("sender-a"));
    expect(() => decryptSecret(envelope, senderSecretContext("sender-b"))).toThrow();
  });

  it("generates the instance key once into the data directory, readable only by its owner", () => {
    const secrets = getInstanceSecrets();
    const file = path.join(env.dataDir, "secrets.json");
    expect(Buffer.from(secrets.encryptionKey, "base64")).toHaveLength(32);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(fs.readFileSync(file, "utf8")).encryptionKey).toBe(secrets.encryptionKey);
  });
});
