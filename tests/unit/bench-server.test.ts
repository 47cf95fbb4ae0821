import { spawn } from "node:child_process";
import net from "node:net";
import { afterAll, expect, it } from "vitest";
import { listenersOn, processGroupOf, startBenchServer } from "@/tests/bench/server";

// The benchmarks' web server check: a port someone else holds is refused before anything starts, and the
// process answering is recognised by its process group, not by the answer.
const others: net.Server[] = [];
afterAll(() => Promise.all(others.map((s) => new Promise((r) => s.close(r)))));

async function listenHere(): Promise<number> {
  const server = net.createServer();
  others.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as net.AddressInfo).port;
}

it("refuses a port that is already taken, naming who holds it, without starting a server", async () => {
  const port = await listenHere();
  expect(listenersOn(port)).toEqual([process.pid]);
  await expect(startBenchServer(port)).rejects.toThrow(`port ${port} is already taken (pid ${process.pid})`);
});

it("tells a listener in a process group of its own from one outside it", async () => {
  const child = spawn(
    process.execPath,
    [
      "-e",
      "const s = require('net').createServer().listen(0, '127.0.0.1', () => console.log(s.address().port))",
    ],
    { detached: true, stdio: ["ignore", "pipe", "ignore"] },
  );
  try {
    const port = await new Promise<number>((resolve) =>
      child.stdout!.once("data", (chunk: Buffer) => resolve(Number(chunk.toString().trim()))),
    );
    const owners = listenersOn(port);
    expect(owners).toEqual([child.pid]);
    expect(processGroupOf(owners[0]!)).toBe(child.pid);
    expect(processGroupOf(process.pid)).not.toBe(child.pid);
  } finally {
    child.kill("SIGKILL");
  }
});
