// The minimal SMTP sink (tests/support/smtp-sink.ts) in a child process, for benchmarks: its CPU is then not
// charged to the process being measured. Ask it for "stats", "reset" or "exit".
import { fork, type ChildProcess } from "node:child_process";

export function startSinkProcess(): Promise<{ child: ChildProcess; port: number }> {
  const child = fork("tests/support/smtp-sink.ts", [], { execArgv: ["--import", "tsx"] });
  return new Promise((resolve) =>
    child.on("message", (m: { type: string; port?: number }) => {
      if (m.type === "ready") resolve({ child, port: m.port! });
    }),
  );
}

export function askSink<T>(child: ChildProcess, type: string): Promise<T> {
  return new Promise((resolve) => {
    const on = (m: { type: string; stats?: T }) => {
      if (m.type !== type) return;
      child.off("message", on);
      resolve(m.stats as T);
    };
    child.on("message", on);
    child.send({ type });
  });
}
