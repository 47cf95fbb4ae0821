import "server-only";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { env } from "@/lib/env";

type InstanceSecrets = { encryptionKey: string; authSecret: string; sandboxSecret: string };

let cached: InstanceSecrets | undefined;

/**
 * Secrets for this installation. Values from the environment win; anything missing is generated once into
 * DATA_DIR/secrets.json (mode 0600) so a fresh install works without configuration and survives restarts.
 */
export function getInstanceSecrets(): InstanceSecrets {
  if (cached) return cached;
  const stored = readOrCreateSecretsFile(path.join(env.dataDir, "secrets.json"));
  cached = {
    encryptionKey: env.ENCRYPTION_KEY ?? stored.encryptionKey,
    authSecret: env.AUTH_SECRET ?? stored.authSecret,
    sandboxSecret: stored.sandboxSecret,
  };
  return cached;
}

function readOrCreateSecretsFile(file: string): InstanceSecrets {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as InstanceSecrets;
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
