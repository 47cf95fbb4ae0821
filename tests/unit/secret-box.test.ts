import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { getInstanceSecrets } from "@/lib/crypto/instance-secrets";
import { decryptSecret, encryptSecret } from "@/lib/crypto/secret-box";
import { env } from "@/lib/env";

describe("secret box (AES-256-GCM)", () => {
  it("round-trips and uses a fresh IV every time", () => {
    const a = encryptSecret("app password ✓");
    const b = encryptSecret("app password ✓");
    expect(a).not.toBe(b);
    expect(decryptSecret(a)).toBe("app password ✓");
  });

  it.each([
    ["a flipped ciphertext byte", (e: string) => e.slice(0, -2) + (e.at(-2) === "A" ? "B" : "A") + e.at(-1)],
    [
      "a different tag",
      (e: string) =>
        e
          .split(".")
          .map((p, i) => (i === 3 ? "A".repeat(p.length) : p))
          .join("."),
    ],
    ["an unknown key id", (e: string) => e.replace(/^v1\.[0-9a-f]{8}/, "v1.deadbeef")],
    ["garbage", () => "not-an-envelope"],
  ])("refuses %s", (_name, tamper) => {
    expect(() => decryptSecret(tamper(encryptSecret("secret")))).toThrow();
  });

  it("generates the instance key once into the data directory, readable only by its owner", () => {
    const secrets = getInstanceSecrets();
    const file = path.join(env.dataDir, "secrets.json");
    expect(Buffer.from(secrets.encryptionKey, "base64")).toHaveLength(32);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(fs.readFileSync(file, "utf8")).encryptionKey).toBe(secrets.encryptionKey);
  });
});
