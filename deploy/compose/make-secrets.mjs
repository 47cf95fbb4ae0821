// node deploy/compose/make-secrets.mjs [dir] — writes the secrets docker-compose.yml mounts, one file each,
// into deploy/compose/secrets (or dir). Existing files are kept, so running it again never rotates a secret
// the database already depends on (ENCRYPTION_KEY above all: SMTP passwords are encrypted with it).
import { generateKeyPairSync, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const dir = path.resolve(
  process.argv[2] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), "secrets"),
);

const token = (bytes) => randomBytes(bytes).toString("base64url");

function vapidKeys() {
  // Web Push wants the raw P-256 keys, base64url: the uncompressed public point and the private scalar.
  const { publicKey, privateKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  const pub = publicKey.export({ format: "jwk" });
  const priv = privateKey.export({ format: "jwk" });
  const point = Buffer.concat([
    Buffer.from([4]),
    Buffer.from(pub.x, "base64url"),
    Buffer.from(pub.y, "base64url"),
  ]);
  return { public: point.toString("base64url"), private: priv.d };
}

const postgresPassword = readExisting("postgres_password") ?? token(24);
const vapid = readExisting("vapid_private_key") ? null : vapidKeys();
const secrets = {
  postgres_password: postgresPassword,
  // Compose's postgres service; the password is URL-safe (base64url), so it needs no escaping here.
  database_url: `postgres://securevault:${postgresPassword}@postgres:5432/securevault`,
  auth_secret: token(48),
  encryption_key: randomBytes(32).toString("base64"),
  metrics_token: token(32),
  grafana_admin_password: token(18),
  ...(vapid ? { vapid_public_key: vapid.public, vapid_private_key: vapid.private } : {}),
};

// The directory is private to its owner; the files are world-readable because Compose bind-mounts them as
// they are, and the containers read them as their own users (10001 for the app, nobody for Prometheus, 472
// for Grafana, postgres for PostgreSQL).
fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
fs.chmodSync(dir, 0o700);
for (const [name, value] of Object.entries(secrets)) {
  const file = path.join(dir, name);
  if (fs.existsSync(file)) continue;
  fs.writeFileSync(file, value, { mode: 0o644 });
  console.log(`wrote ${file}`);
}

function readExisting(name) {
  const file = path.join(dir, name);
  return fs.existsSync(file) ? fs.readFileSync(file, "utf8").trim() : null;
}
