// A Web Push service on loopback that the tests control, standing in for FCM / Mozilla / Apple. It holds each
// subscription's private key and auth secret, checks every request the way a real push service does — the
// VAPID JWT (RFC 8292: ES256 signature by the key in `k`, aud = this origin, exp ahead and within 24 h, sub
// present) — and decrypts the aes128gcm payload (RFC 8291 + RFC 8188) with node:crypto alone, so a test sees
// exactly what a browser would get.
import {
  createDecipheriv,
  createECDH,
  createPublicKey,
  hkdfSync,
  randomBytes,
  randomUUID,
  verify,
} from "node:crypto";
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";

export type Behaviour = "accept" | "hang" | { status: number };

export type ReceivedPush = {
  subscriptionId: string;
  headers: http.IncomingHttpHeaders;
  claims: { aud: string; exp: number; sub: string };
  vapidPublicKey: string;
  /** The decrypted payload, as the browser's push event would see it. */
  text: string;
};

export type TestSubscription = { endpoint: string; keys: { p256dh: string; auth: string } };

type Held = { ecdh: ReturnType<typeof createECDH>; auth: Buffer; behaviour: Behaviour };

export type TestPushService = {
  origin: string;
  /** A new subscription: the key pair and auth secret are made here, and only the public parts leave. */
  subscribe(behaviour?: Behaviour): TestSubscription & { id: string };
  setBehaviour(id: string, behaviour: Behaviour): void;
  received: ReceivedPush[];
  /** Requests that failed the VAPID or encryption checks, with the reason. */
  refused: { subscriptionId: string; reason: string }[];
  requests(): number;
  /** Calls the listener for every accepted push; returns a function that stops it. */
  onPush(listener: (push: ReceivedPush) => void | Promise<void>): () => void;
  close(): Promise<void>;
};

export async function startTestPushService(
  options: { expectedVapidKey?: () => Promise<string> | string } = {},
): Promise<TestPushService> {
  const held = new Map<string, Held>();
  const received: ReceivedPush[] = [];
  const refused: { subscriptionId: string; reason: string }[] = [];
  const listeners = new Set<(push: ReceivedPush) => void | Promise<void>>();
  const sockets = new Set<Socket>();
  let requests = 0;
  let origin = "";

  const server = http.createServer((req, res) => {
    requests += 1;
    const id = /^\/push\/([\w-]+)$/.exec(req.url ?? "")?.[1] ?? "";
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const sub = held.get(id);
      if (req.method !== "POST" || !sub) return void res.writeHead(404).end();
      if (sub.behaviour === "hang") return; // holds the request open until the client gives up
      if (typeof sub.behaviour === "object") return void res.writeHead(sub.behaviour.status).end();
      try {
        const vapid = checkVapid(req.headers, origin);
        const expected = options.expectedVapidKey && (await options.expectedVapidKey());
        if (expected && vapid.publicKey !== expected) throw new Error("signed by a key other than the app's");
        if (req.headers["content-encoding"] !== "aes128gcm")
          throw new Error("Content-Encoding is not aes128gcm");
        if (!/^\d+$/.test(String(req.headers.ttl ?? ""))) throw new Error("TTL header missing");
        const text = decryptAes128gcm(Buffer.concat(chunks), sub.ecdh, sub.auth).toString("utf8");
        const push: ReceivedPush = {
          subscriptionId: id,
          headers: req.headers,
          claims: vapid.claims,
          vapidPublicKey: vapid.publicKey,
          text,
        };
        received.push(push);
        res.writeHead(201).end();
        // Each listener on its own: one that fails (a closed browser) does not stop the others.
        await Promise.allSettled([...listeners].map((listener) => listener(push)));
      } catch (error) {
        refused.push({ subscriptionId: id, reason: (error as Error).message });
        if (!res.headersSent) res.writeHead(403).end();
      }
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    origin,
    subscribe(behaviour = "accept") {
      const id = randomUUID();
      const ecdh = createECDH("prime256v1");
      ecdh.generateKeys();
      const auth = randomBytes(16);
      held.set(id, { ecdh, auth, behaviour });
      return {
        id,
        endpoint: `${origin}/push/${id}`,
        keys: { p256dh: ecdh.getPublicKey("base64url"), auth: auth.toString("base64url") },
      };
    },
    setBehaviour(id, behaviour) {
      held.get(id)!.behaviour = behaviour;
    },
    received,
    refused,
    requests: () => requests,
    onPush: (listener) => {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** Checks `Authorization: vapid t=<JWT>, k=<public key>` as RFC 8292 §2–3 asks. */
export function checkVapid(headers: http.IncomingHttpHeaders, audience: string) {
  const match = /^vapid t=([\w-]+\.[\w-]+\.[\w-]+),\s*k=([\w-]+)$/.exec(headers.authorization ?? "");
  if (!match) throw new Error("no vapid Authorization header");
  const [, jwt, publicKey] = match as unknown as [string, string, string];
  const [header, claims, signature] = jwt.split(".") as [string, string, string];
  const head = JSON.parse(Buffer.from(header, "base64url").toString()) as { alg?: string; typ?: string };
  if (head.alg !== "ES256") throw new Error(`JWT alg is ${head.alg}, not ES256`);
  const raw = Buffer.from(publicKey, "base64url");
  if (raw.length !== 65 || raw[0] !== 4) throw new Error("k is not an uncompressed P-256 key");
  const key = createPublicKey({
    key: {
      kty: "EC",
      crv: "P-256",
      x: raw.subarray(1, 33).toString("base64url"),
      y: raw.subarray(33).toString("base64url"),
    },
    format: "jwk",
  });
  const signed = verify(
    "sha256",
    Buffer.from(`${header}.${claims}`),
    { key, dsaEncoding: "ieee-p1363" },
    Buffer.from(signature, "base64url"),
  );
  if (!signed) throw new Error("JWT signature does not verify with k");
  const body = JSON.parse(Buffer.from(claims, "base64url").toString()) as {
    aud?: string;
    exp?: number;
    sub?: string;
  };
  const now = Math.floor(Date.now() / 1000);
  if (body.aud !== audience) throw new Error(`aud is ${body.aud}, not ${audience}`);
  if (typeof body.exp !== "number" || body.exp <= now || body.exp > now + 24 * 3600)
    throw new Error("exp is not within the next 24 hours");
  if (!body.sub || !/^(mailto:|https:)/.test(body.sub))
    throw new Error("sub is missing or not mailto:/https:");
  return { publicKey, claims: body as { aud: string; exp: number; sub: string } };
}

/** RFC 8188 content coding with the RFC 8291 key derivation, for the user agent's side. */
export function decryptAes128gcm(
  body: Buffer,
  ecdh: ReturnType<typeof createECDH>,
  authSecret: Buffer,
): Buffer {
  const salt = body.subarray(0, 16);
  const recordSize = body.readUInt32BE(16);
  const idLength = body[20]!;
  const serverPublic = body.subarray(21, 21 + idLength);
  if (idLength !== 65) throw new Error("keyid is not the application server's P-256 key");
  const records = body.subarray(21 + idLength);

  const shared = ecdh.computeSecret(serverPublic);
  const keyInfo = Buffer.concat([Buffer.from("WebPush: info\0"), ecdh.getPublicKey(), serverPublic]);
  const ikm = Buffer.from(hkdfSync("sha256", shared, authSecret, keyInfo, 32));
  const cek = Buffer.from(hkdfSync("sha256", ikm, salt, Buffer.from("Content-Encoding: aes128gcm\0"), 16));
  const nonce = Buffer.from(hkdfSync("sha256", ikm, salt, Buffer.from("Content-Encoding: nonce\0"), 12));

  const out: Buffer[] = [];
  for (let offset = 0, seq = 0; offset < records.length; offset += recordSize, seq += 1) {
    const record = records.subarray(offset, offset + recordSize);
    const iv = Buffer.from(nonce);
    // The record's sequence number is XORed into the low end of the nonce (RFC 8188 §2.3).
    iv.writeUInt32BE((iv.readUInt32BE(8) ^ seq) >>> 0, 8);
    const decipher = createDecipheriv("aes-128-gcm", cek, iv);
    decipher.setAuthTag(record.subarray(record.length - 16));
    const plain = Buffer.concat([decipher.update(record.subarray(0, record.length - 16)), decipher.final()]);
    // Padding: the data, a delimiter (2 for the last record, 1 otherwise), then zeros.
    let end = plain.length - 1;
    while (end >= 0 && plain[end] === 0) end -= 1;
    const last = offset + recordSize >= records.length;
    if (plain[end] !== (last ? 2 : 1)) throw new Error("bad padding delimiter");
    out.push(plain.subarray(0, end));
  }
  return Buffer.concat(out);
}
