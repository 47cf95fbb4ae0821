import { AsyncLocalStorage } from "node:async_hooks";
import { processSingleton } from "@/lib/server/singleton";

// The request a piece of work belongs to, so every log line written while serving it carries its id.
export type RequestContext = { requestId: string };

export const requestContext = processSingleton(
  "requestContext",
  () => new AsyncLocalStorage<RequestContext>(),
);

/** A caller's X-Request-Id when it is a sane token (a proxy's id keeps one id across hops); otherwise null. */
export function acceptedRequestId(header: string | null): string | null {
  return header && /^[A-Za-z0-9._:-]{8,128}$/.test(header) ? header : null;
}
