import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

// One-time passwords as authenticator apps make them: HOTP (RFC 4226) over a time step counter (RFC 6238),
// HMAC-SHA-1, 6 digits, 30-second steps — the parameters every app supports.
export const TOTP_DIGITS = 6;
export const TOTP_STEP_SECONDS = 30;
const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

export type HashName = "sha1" | "sha256" | "sha512";

/** HOTP value for one counter (RFC 4226 §5.3: dynamic truncation, then modulo 10^digits). */
export function hotp(secret: Buffer, counter: number, digits = TOTP_DIGITS, hash: HashName = "sha1"): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac(hash, secret).update(message).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, "0");
}

/** The time step a moment falls in. */
export function totpStep(unixMs: number): number {
  return Math.floor(unixMs / 1000 / TOTP_STEP_SECONDS);
}

export function totp(secret: Buffer, unixMs: number, digits = TOTP_DIGITS, hash: HashName = "sha1"): string {
  return hotp(secret, totpStep(unixMs), digits, hash);
}

/**
 * The step whose code matches, looking one step either side of now (phone clocks drift, and a code typed at
 * the end of its 30 seconds arrives in the next); null when none does. The caller refuses a step it has
 * already accepted, so a code works once.
 */
export function matchTotpStep(secret: Buffer, code: string, unixMs: number): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const now = totpStep(unixMs);
  let matched: number | null = null;
  // Every candidate is compared, in constant time, so timing does not say which step matched.
  for (const step of [now - 1, now, now + 1]) {
    if (timingSafeEqual(Buffer.from(hotp(secret, step)), Buffer.from(code))) matched ??= step;
  }
  return matched;
}

/** A new 160-bit secret (the size RFC 4226 recommends for HMAC-SHA-1). */
export function generateTotpSecret(): Buffer {
  return randomBytes(20);
}

/** The otpauth:// URI authenticator apps import (as a QR code or a link). */
export function otpauthUri(secret: Buffer, account: string, issuer = "SecureVault"): string {
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(account)}`;
  const params = new URLSearchParams({
    secret: base32Encode(secret),
    issuer,
    algorithm: "SHA1",
    digits: String(TOTP_DIGITS),
    period: String(TOTP_STEP_SECONDS),
  });
  return `otpauth://totp/${label}?${params}`;
}

/** RFC 4648 base32 without padding: the form apps accept when the secret is typed in. */
export function base32Encode(bytes: Buffer): string {
  let out = "";
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

export function base32Decode(text: string): Buffer {
  const clean = text.replace(/[\s=-]/g, "").toUpperCase();
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const char of clean) {
    const index = BASE32.indexOf(char);
    if (index < 0) throw new Error(`Not a base32 character: ${char}`);
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}
