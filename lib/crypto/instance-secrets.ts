import "server-only";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { env } from "@/lib/env";

type InstanceSecrets = { encryptionKey: string; authSecret: string; sandboxSecret: string };
/** secrets.json: encryptionKeys (newest first) appears once a key has been rotated; encryptionKey stays the first. */
type SecretsFile = InstanceSecrets & { encryptionKeys?: string[] };

export const secretsFilePath = () => path.join(env.dataDir, "secrets.json");

let cached: InstanceSecrets | undefined;

/**
 * Secrets for this installation. Values from the environment win; anything missing is generated once into
 * DATA_DIR/secrets.json (mode 0600) so a fresh install works without configuration and survives restarts.
 */
export function getInstanceSecrets(): InstanceSecrets {
  if (cached) return cached;
  const stored = readOrCreateSecretsFile(secretsFilePath());
  cached = {
    encryptionKey: env.ENCRYPTION_KEYS?.split(",")[0]?.trim() ?? env.ENCRYPTION_KEY ?? stored.encryptionKey,
    authSecret: env.AUTH_SECRET ?? stored.authSecret,
    sandboxSecret: stored.sandboxSecret,
  };
  return cached;
}

/**
 * The encryption key ring, newest (the one that encrypts) first: ENCRYPTION_KEYS, else ENCRYPTION_KEY, else the
 * data-dir file. Read fresh on every call; callers cache (lib/crypto/key-ring.ts) so a rotation is picked up.
 */
export function readEncryptionKeys(): string[] {
  if (env.ENCRYPTION_KEYS) return env.ENCRYPTION_KEYS.split(",").map((k) => k.trim());
  if (env.ENCRYPTION_KEY) return [env.ENCRYPTION_KEY];
  const stored = readOrCreateSecretsFile(secretsFilePath());
  return stored.encryptionKeys?.length ? stored.encryptionKeys : [stored.encryptionKey];
}

/** Whether the key ring lives in the data-dir file (and so can be rotated by `npm run keys:rotate`). */
export function keysFromFile(): boolean {
  return !env.ENCRYPTION_KEYS && !env.ENCRYPTION_KEY;
}

/** Replaces the file's key ring atomically (write + rename), so a reader never sees half a file. */
export function writeEncryptionKeys(keys: string[]): void {
  const file = secretsFilePath();
  const stored = readOrCreateSecretsFile(file);
  const next: SecretsFile = { ...stored, encryptionKey: keys[0]!, encryptionKeys: keys };
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(next, null, 2), { mode: 0o600 });
  fs.renameSync(tmp, file);
}

function readOrCreateSecretsFile(file: string): SecretsFile {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as SecretsFile;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const fresh: InstanceSecrets = {
    encryptionKey: randomBytes(32).toString("base64"),
    authSecret: randomBytes(32).toString("base64url"),
    sandboxSecret: randomBytes(32).toString("base64url"),
  };
  fs.mkdirSync(path.dirname(file), { recursive: true });
  try {
    // "wx": when two processes start at once, exactly one writes; the other reads the winner's file.
    fs.writeFileSync(file, JSON.stringify(fresh, null, 2), { mode: 0o600, flag: "wx" });
    return fresh;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    return JSON.parse(fs.readFileSync(file, "utf8")) as InstanceSecrets;
  }
}
