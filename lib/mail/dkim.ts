import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign } from "node:crypto";

// DKIM signatures (RFC 6376): rsa-sha256 with relaxed/relaxed canonicalization, over the headers a receiver
// judges a message by — including a campaign message's List-Unsubscribe and List-Unsubscribe-Post, so a relay
// cannot swap the unsubscribe link — and the whole body. Our own small signer: the message is ours, built by
// lib/mail/mime-build.ts, so only what the canonicalization needs is parsed.

/** Signed when present, in this order. */
const SIGNED_HEADERS = [
  "from",
  "to",
  "cc",
  "subject",
  "date",
  "message-id",
  "mime-version",
  "content-type",
  "list-unsubscribe",
  "list-unsubscribe-post",
] as const;

export type DkimKey = { domain: string; selector: string; privateKeyPem: string };

/** A new 2048-bit RSA key pair: the private key as PKCS#8 PEM, the public one as the DNS record's p= value. */
export function generateDkimKey(): { privateKeyPem: string; publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return {
    privateKeyPem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    publicKey: publicKey.export({ type: "spki", format: "der" }).toString("base64"),
  };
}

/**
 * The p= value for an imported private key (PEM, PKCS#1 or PKCS#8). Throws on anything that is not an RSA
 * private key of at least 1024 bits (RFC 8301).
 */
export function publicKeyOf(privateKeyPem: string): string {
  const key = createPrivateKey(privateKeyPem);
  if (key.asymmetricKeyType !== "rsa") throw new Error("A DKIM key must be an RSA key.");
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < 1024) throw new Error("A DKIM key must have at least 1024 bits (2048 recommended).");
  return createPublicKey(key).export({ type: "spki", format: "der" }).toString("base64");
}

/** The TXT record to publish at `<selector>._domainkey.<domain>`. */
export function dkimDnsRecord(selector: string, domain: string, publicKey: string) {
  return {
    name: `${selector}._domainkey.${domain}`,
    type: "TXT" as const,
    value: `v=DKIM1; k=rsa; p=${publicKey}`,
  };
}

/** The message with a DKIM-Signature header added at the top. `now` is the signature's t= time. */
export function signDkim(raw: Buffer, key: DkimKey, now: Date = new Date()): Buffer {
  const text = raw.toString("latin1");
  const split = text.indexOf("\r\n\r\n");
  const headerText = split === -1 ? text : text.slice(0, split + 2);
  const body = split === -1 ? "" : text.slice(split + 4);
  const fields = headerFields(headerText);

  const signed: string[] = [];
  const canonical: string[] = [];
  for (const name of SIGNED_HEADERS) {
    // The last field of a name is the one a verifier takes first (RFC 6376 §5.4.2); ours are single.
    const field = fields.findLast((f) => f.name === name);
    if (!field) continue;
    signed.push(name);
    canonical.push(relaxedHeader(field.raw));
  }
  const bodyHash = createHash("sha256").update(relaxedBody(body), "latin1").digest("base64");
  const tags = [
    "v=1",
    "a=rsa-sha256",
    "c=relaxed/relaxed",
    `d=${key.domain}`,
    `s=${key.selector}`,
    `t=${Math.floor(now.getTime() / 1000)}`,
    `h=${signed.join(":")}`,
    `bh=${bodyHash}`,
  ];
  const unsigned = `DKIM-Signature: ${tags.join(";\r\n\t")};\r\n\tb=`;
  const input = canonical.join("") + relaxedHeader(unsigned).replace(/\r\n$/, "");
  const signature = sign("sha256", Buffer.from(input, "latin1"), createPrivateKey(key.privateKeyPem));
  return Buffer.concat([Buffer.from(`${unsigned}${signature.toString("base64")}\r\n`, "latin1"), raw]);
}

type HeaderField = { name: string; raw: string };

/** Header fields with their continuation lines, as written. */
function headerFields(headerText: string): HeaderField[] {
  const fields: HeaderField[] = [];
  for (const line of headerText.split("\r\n")) {
    if (line === "") continue;
    if (/^[ \t]/.test(line) && fields.length) fields.at(-1)!.raw += `\r\n${line}`;
    else fields.push({ name: line.slice(0, line.indexOf(":")).trim().toLowerCase(), raw: line });
  }
  return fields;
}

/** RFC 6376 §3.4.2: lowercase name, unfolded, runs of whitespace as one space, none around the colon. */
export function relaxedHeader(field: string): string {
  const colon = field.indexOf(":");
  const name = field.slice(0, colon).trim().toLowerCase();
  const value = field
    .slice(colon + 1)
    .replace(/\r\n(?=[ \t])/g, "")
    .replace(/[ \t]+/g, " ")
    .trim();
  return `${name}:${value}\r\n`;
}

/** RFC 6376 §3.4.4: whitespace runs as one space, none at line ends, no empty lines at the end. */
export function relaxedBody(body: string): string {
  const lines = body.split("\r\n").map((line) => line.replace(/[ \t]+/g, " ").replace(/ $/, ""));
  while (lines.length && lines.at(-1) === "") lines.pop();
  return lines.length ? `${lines.join("\r\n")}\r\n` : "";
}
