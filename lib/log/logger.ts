import fs from "node:fs";
import pino, { type DestinationStream, type Logger } from "pino";
import { env } from "@/lib/env";
import { requestContext } from "@/lib/observability/request-context";
import { processSingleton } from "@/lib/server/singleton";

// Keys whose values must never reach a log line, wherever they sit in the object: credentials, tokens and
// anything that can hold a message's content.
const redactedKeys =
  /pass(word)?|secret|token|authorization|cookie|html|text|body|raw|key|content|attachment/i;

export function redact(value: unknown, depth = 0): unknown {
  if (depth > 5 || value === null || typeof value !== "object") return value;
  if (value instanceof Error) {
    return { type: value.name, message: value.message, code: (value as { code?: unknown }).code };
  }
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value))
    out[k] = redactedKeys.test(k) ? "[redacted]" : redact(v, depth + 1);
  return out;
}

/** Structured JSON logs (pino): redacted by key name, with the request id of the request being served. */
export function createLogger(destination?: DestinationStream): Logger {
  return pino(
    {
      level: env.LOG_LEVEL,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ level: label }),
        log: (fields) => redact(fields) as Record<string, unknown>,
      },
      mixin: () => {
        const context = requestContext.getStore();
        return context ? { reqId: context.requestId } : {};
      },
    },
    destination ?? stdoutWithTaps,
  );
}

type Tap = (line: string) => void;
const taps = new Set<Tap>();

// Lines go to stdout synchronously (nothing is lost when the process exits), and to any taps: tests use one
// to prove what never reaches a log line.
const stdoutWithTaps: DestinationStream = {
  write(line: string) {
    fs.writeSync(1, line);
    for (const tap of taps) tap(line);
  },
};

/** Receives every log line this process writes, until the returned function is called. */
export function tapLogs(tap: Tap): () => void {
  taps.add(tap);
  return () => taps.delete(tap);
}

export const log: Logger = processSingleton("logger", createLogger);
