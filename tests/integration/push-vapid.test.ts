import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import webpush from "web-push";
import { afterEach, describe, expect, it, vi } from "vitest";

const run = promisify(execFile);
const saved = { ...process.env };

afterEach(() => {
  process.env = { ...saved };
  vi.resetModules();
});

/** lib/push/vapid.ts as a fresh process would load it, with these variables. */
async function loadVapid(vars: Record<string, string>) {
  Object.assign(process.env, vars);
  vi.resetModules();
  return import("@/lib/push/vapid");
}

describe("VAPID keys", () => {
  it("are generated once: processes starting together on one data directory all get the same pair", async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "vapid-race-"));
    const tsx = path.resolve("node_modules/.bin/tsx");
    const script = path.resolve("tests/support/print-vapid-key.ts");
    // Like `npm run worker` beside the web server: separate processes, one DATA_DIR.
    const outputs = await Promise.all(
      Array.from({ length: 4 }, () =>
        run(tsx, ["--conditions=react-server", script], {
          env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: "silent" },
        }),
      ),
    );
    const keys = new Set(outputs.map((o) => o.stdout.trim()));
    expect(keys.size).toBe(1);
    const file = path.join(dataDir, "vapid.json");
    expect(JSON.parse(fs.readFileSync(file, "utf8")).publicKey).toBe([...keys][0]);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    // No temporary files are left behind.
    expect(fs.readdirSync(dataDir)).toEqual(["vapid.json"]);
  }, 60_000);

  it("come from the environment when set, and no file is written", async () => {
    const pair = webpush.generateVAPIDKeys();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "vapid-env-"));
    const vapid = await loadVapid({
      DATA_DIR: dataDir,
      VAPID_PUBLIC_KEY: pair.publicKey,
      VAPID_PRIVATE_KEY: pair.privateKey,
      VAPID_SUBJECT: "mailto:ops@example.com",
    });
    expect(vapid.getVapidDetails()).toEqual({ ...pair, subject: "mailto:ops@example.com" });
    expect(fs.readdirSync(dataDir)).toEqual([]);
  });

  it("refuse half a pair and a public key that is not the private key's", async () => {
    const [a, b] = [webpush.generateVAPIDKeys(), webpush.generateVAPIDKeys()];
    expect((await loadVapid({ VAPID_PUBLIC_KEY: a.publicKey })).getVapidDetails).toThrow(/together/);
    const mismatched = await loadVapid({ VAPID_PUBLIC_KEY: a.publicKey, VAPID_PRIVATE_KEY: b.privateKey });
    expect(mismatched.getVapidDetails).toThrow(/not the public half/);
  });

  it.each([
    ["https://mail.example.com", true],
    ["mailto:admin@example.com", true],
    ["http://mail.example.com", false],
    ["admin@example.com", false],
    ["https://", false],
  ])("subject %s is accepted: %s", async (subject, ok) => {
    const load = loadVapid({ VAPID_SUBJECT: subject });
    if (ok) expect((await load).vapidSubject()).toBe(subject);
    else await expect(load).rejects.toThrow(/VAPID_SUBJECT: must be a mailto: or https: URL/);
  });

  it("subject falls back to an https APP_URL, else a mailto: address (never http)", async () => {
    expect((await loadVapid({ APP_URL: "https://mail.example.com/app" })).vapidSubject()).toBe(
      "https://mail.example.com",
    );
    expect((await loadVapid({ APP_URL: "http://localhost:3000" })).vapidSubject()).toMatch(/^mailto:/);
  });
});
