import "server-only";
import { createECDH, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import webpush from "web-push";
import { env } from "@/lib/env";

// The application server's identity towards push services (RFC 8292). The web process and a separate worker
// process both sign push requests, so they must use the same key pair: it comes from the environment, or from
// one file in DATA_DIR that the first process to start creates.

export type VapidDetails = { publicKey: string; privateKey: string; subject: string };
type KeyPair = { publicKey: string; privateKey: string };

const KEY_FILE = "vapid.json";
const PUBLIC_KEY = /^[A-Za-z0-9_-]{87}$/;
const PRIVATE_KEY = /^[A-Za-z0-9_-]{43}$/;

let cached: VapidDetails | undefined;

export function getVapidDetails(): VapidDetails {
  if (cached) return cached;
  const keys = keysFromEnv() ?? readOrCreateKeyFile(path.join(env.dataDir, KEY_FILE));
  assertKeysMatch(keys);
  cached = { ...keys, subject: vapidSubject() };
  return cached;
}

/** The key the browser needs for pushManager.subscribe (applicationServerKey). */
export function getVapidPublicKey(): string {
  return getVapidDetails().publicKey;
}

/**
 * VAPID_SUBJECT, else the https APP_URL, else a mailto: address. Apple's push service refuses anything but a
 * mailto: or https: subject, so the fallback is never an http:// or localhost URL.
 */
export function vapidSubject(): string {
  if (env.VAPID_SUBJECT) return env.VAPID_SUBJECT;
  if (env.APP_URL?.startsWith("https://")) return new URL(env.APP_URL).origin;
  return "mailto:postmaster@securevault.invalid";
}

function keysFromEnv(): KeyPair | null {
  const { VAPID_PUBLIC_KEY: publicKey, VAPID_PRIVATE_KEY: privateKey } = env;
  if (!publicKey && !privateKey) return null;
  if (!publicKey || !privateKey) {
    throw new Error(
      "Set VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY together, or neither (then they are generated).",
    );
  }
  return { publicKey, privateKey };
}

/**
 * Reads DATA_DIR/vapid.json, creating it first when missing. The new file is written completely under a
 * temporary name and then hard-linked into place: link() fails when the name exists, so when two processes
 * race exactly one pair wins, and no reader ever sees a half-written file.
 */
function readOrCreateKeyFile(file: string): KeyPair {
  const existing = readKeyFile(file);
  if (existing) return existing;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
  const fresh = webpush.generateVAPIDKeys();
  fs.writeFileSync(temp, JSON.stringify(fresh, null, 2), { mode: 0o600, flag: "wx" });
  try {
    fs.linkSync(temp, file);
    return fresh;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    return readKeyFile(file) ?? fresh; // the other process's pair won
  } finally {
    fs.rmSync(temp, { force: true });
  }
}

function readKeyFile(file: string): KeyPair | null {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
  const parsed = JSON.parse(text) as Partial<KeyPair>;
  if (!PUBLIC_KEY.test(parsed.publicKey ?? "") || !PRIVATE_KEY.test(parsed.privateKey ?? "")) {
    throw new Error(`${file} does not hold a VAPID key pair; delete it to generate a new one.`);
  }
  return { publicKey: parsed.publicKey!, privateKey: parsed.privateKey! };
}

/** A public key that is not the private key's would make every push service reject us: fail loudly instead. */
function assertKeysMatch({ publicKey, privateKey }: KeyPair) {
  const ecdh = createECDH("prime256v1");
  ecdh.setPrivateKey(Buffer.from(privateKey, "base64url"));
  if (ecdh.getPublicKey("base64url") !== publicKey) {
    throw new Error("VAPID_PUBLIC_KEY is not the public half of VAPID_PRIVATE_KEY.");
  }
}
