import "server-only";
import { createHash } from "node:crypto";
import http from "node:http";
import https from "node:https";
import { isIP } from "node:net";
import webpush from "web-push";
import { checkedLookup, isAllowedPushAddress } from "@/lib/push/endpoint-policy";
import type { PushResult } from "@/lib/push/results";
import type { VapidDetails } from "@/lib/push/vapid";

// One Web Push request (RFC 8030). web-push encrypts the payload (RFC 8291, aes128gcm) and signs the VAPID
// header (RFC 8292); the request itself is sent here rather than by webpush.sendNotification, because that
// only speaks https, cannot pin the checked address, and its timeout is per socket idle, not per request.

export type PushTarget = { endpoint: string; p256dh: string; auth: string };

export type PushRequestOptions = {
  /** How long the push service may hold the message for an offline device. */
  ttlSeconds: number;
  urgency: "very-low" | "low" | "normal" | "high";
  /** Messages with the same topic replace each other while undelivered (one per SecureVault message). */
  topic?: string;
  timeoutMs: number;
};

export type PushAttempt = { result: PushResult; status?: number };

export async function sendPushRequest(
  target: PushTarget,
  payload: string,
  vapid: VapidDetails,
  options: PushRequestOptions,
): Promise<PushAttempt> {
  let details: ReturnType<typeof webpush.generateRequestDetails>;
  try {
    details = webpush.generateRequestDetails(
      { endpoint: target.endpoint, keys: { p256dh: target.p256dh, auth: target.auth } },
      payload,
      {
        vapidDetails: vapid,
        TTL: options.ttlSeconds,
        urgency: options.urgency,
        topic: options.topic,
        contentEncoding: "aes128gcm",
      },
    );
  } catch {
    // Keys that cannot encrypt (saved before the curve check existed, or altered in the database).
    return { result: "invalid" };
  }
  const url = new URL(details.endpoint);
  const host = url.hostname.replace(/^\[|\]$/g, "");
  // A literal address is connected to without a lookup, so it is checked here.
  if (isIP(host) && !isAllowedPushAddress(host)) return { result: "blocked" };

  const client = url.protocol === "https:" ? https : http;
  return new Promise<PushAttempt>((resolve) => {
    const request = client.request(
      url,
      {
        method: details.method,
        headers: details.headers,
        lookup: checkedLookup,
        signal: AbortSignal.timeout(options.timeoutMs),
      },
      (response) => {
        response.resume(); // the answer is in the status; the body is not needed
        response.on("error", () => undefined);
        resolve(classifyStatus(response.statusCode ?? 0));
      },
    );
    request.on("error", (error) => resolve({ result: classifyError(error) }));
    request.end(details.body ?? undefined);
  });
}

/** A Topic header (at most 32 base64url characters) that stands for one message. */
export function topicFor(messageId: string): string {
  return createHash("sha256").update(messageId).digest("base64url").slice(0, 32);
}

function classifyStatus(status: number): PushAttempt {
  if (status >= 200 && status < 300) return { result: "sent", status };
  if (status === 404 || status === 410) return { result: "expired", status };
  return { result: "rejected", status };
}

function classifyError(error: Error & { code?: string }): PushResult {
  if (error.code === "EUNSAFE") return "blocked";
  if (error.name === "TimeoutError" || error.name === "AbortError" || error.code === "ABORT_ERR")
    return "timeout";
  return "unreachable";
}
