import { env } from "@/lib/env";

type Level = "debug" | "info" | "warn" | "error";
const order: Record<Level | "silent", number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

// Keys whose values must never reach a log line, wherever they sit in the object.
const redactedKeys = /pass(word)?|secret|token|authorization|cookie|html|text|body|raw|key/i;

function redact(value: unknown, depth = 0): unknown {
  if (depth > 4 || value === null || typeof value !== "object") return value;
  if (value instanceof Error)
    return { name: value.name, message: value.message, code: (value as { code?: unknown }).code };
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = redactedKeys.test(k) ? "[redacted]" : redact(v, depth + 1);
  }
  return out;
}

function write(level: Level, fields: Record<string, unknown>, msg: string) {
  if (order[level] < order[env.LOG_LEVEL]) return;
  const line = JSON.stringify({ level, time: new Date().toISOString(), msg, ...(redact(fields) as object) });
  (level === "error" || level === "warn" ? process.stderr : process.stdout).write(line + "\n");
}

/** Structured JSON logs; secrets and message content are redacted by key name. */
export const log = {
  debug: (fields: Record<string, unknown>, msg: string) => write("debug", fields, msg),
  info: (fields: Record<string, unknown>, msg: string) => write("info", fields, msg),
  warn: (fields: Record<string, unknown>, msg: string) => write("warn", fields, msg),
  error: (fields: Record<string, unknown>, msg: string) => write("error", fields, msg),
};
