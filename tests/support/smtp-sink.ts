// A minimal, fast SMTP server for benchmarks: a real dialogue (EHLO with PIPELINING and CHUNKING, MAIL, RCPT,
// DATA with the dot-terminated body or BDAT with a byte count, RSET, QUIT), replies batched per read as a
// pipelining server sends them, and a count of the messages it took with their Message-IDs so a benchmark can
// check each arrived exactly once. CHUNKING is offered as Postfix (3.4 and later) and Gmail offer it; a client
// that does not use it (nodemailer) talks DATA. `chunking: false` leaves it out of EHLO.
// Run it in a child process (`node --import tsx tests/support/smtp-sink.ts`) so its CPU is not the client's:
// it reports its port on IPC and answers "stats" / "reset" messages.
import net from "node:net";
import type { AddressInfo } from "node:net";

export type SinkStats = { messages: number; bytes: number; uniqueIds: number; malformed: number };

export function startSmtpSink(
  port = 0,
  { chunking = true }: { chunking?: boolean } = {},
): Promise<{ port: number; stats: () => SinkStats; reset: () => void; close: () => Promise<void> }> {
  let messages = 0;
  let bytes = 0;
  let malformed = 0;
  let ids = new Set<string>();
  const sockets = new Set<net.Socket>();

  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => undefined);
    socket.write("220 sink ESMTP\r\n");
    let buf = "";
    let inData = false;
    let scanFrom = 0;
    // Bytes of a BDAT chunk still to come (latin1: one character per byte), and whether it is the last.
    let chunkLeft = -1;
    let chunkLast = false;
    let chunked = "";
    const took = (body: string) => {
      messages += 1;
      bytes += body.length;
      const idAt = body.indexOf("\r\nMessage-ID: ");
      if (idAt >= 0) ids.add(body.slice(idAt + 14, body.indexOf("\r\n", idAt + 14)));
      else malformed += 1;
    };

    socket.on("data", (chunk: Buffer) => {
      buf += chunk.toString("latin1");
      let out = "";
      let pos = 0;
      for (;;) {
        if (chunkLeft >= 0) {
          const available = Math.min(chunkLeft, buf.length - pos);
          chunked += buf.slice(pos, pos + available);
          pos += available;
          chunkLeft -= available;
          if (chunkLeft > 0) break;
          chunkLeft = -1;
          if (chunkLast) {
            took(chunked);
            chunked = "";
          }
          out += "250 2.0.0 Ok: queued\r\n";
          continue;
        }
        if (inData) {
          // The body ends at CRLF "." CRLF; an empty body is "." CRLF right away.
          let end: number;
          let bodyEnd: number;
          if (scanFrom === pos && buf.startsWith(".\r\n", pos)) {
            end = pos + 3;
            bodyEnd = pos;
          } else {
            const at = buf.indexOf("\r\n.\r\n", Math.max(pos, scanFrom - 4));
            if (at < 0) {
              scanFrom = buf.length;
              break;
            }
            end = at + 5;
            bodyEnd = at + 2;
          }
          took(buf.slice(pos, bodyEnd));
          pos = end;
          inData = false;
          out += "250 2.0.0 Ok: queued\r\n";
          continue;
        }
        const end = buf.indexOf("\r\n", pos);
        if (end < 0) break;
        const verb = buf.slice(pos, pos + 4).toUpperCase();
        const line = buf.slice(pos, end);
        pos = end + 2;
        if (verb === "MAIL" || verb === "RCPT" || verb === "NOOP") out += "250 2.1.0 Ok\r\n";
        else if (verb === "RSET") {
          chunked = "";
          out += "250 2.0.0 Ok\r\n";
        } else if (verb === "BDAT" && chunking) {
          const [, size = "", last = ""] = line.split(" ");
          chunkLeft = Number(size);
          chunkLast = last.toUpperCase() === "LAST";
          if (!Number.isInteger(chunkLeft) || chunkLeft < 0) {
            chunkLeft = -1;
            out += "501 5.5.4 Syntax: BDAT size [LAST]\r\n";
          }
        } else if (verb === "DATA") {
          out += "354 End data with <CR><LF>.<CR><LF>\r\n";
          inData = true;
          scanFrom = pos;
        } else if (verb === "EHLO")
          out += `250-sink\r\n250-PIPELINING\r\n${chunking ? "250-CHUNKING\r\n" : ""}250-8BITMIME\r\n250-SMTPUTF8\r\n250 SIZE 52428800\r\n`;
        else if (verb === "HELO") out += "250 sink\r\n";
        else if (verb === "QUIT") {
          socket.end(`${out}221 Bye\r\n`);
          return;
        } else out += "502 5.5.2 Command not recognised\r\n";
      }
      buf = pos < buf.length ? buf.slice(pos) : "";
      scanFrom = Math.max(0, scanFrom - pos);
      if (out) socket.write(out);
    });
  });

  return new Promise((resolve) => {
    server.listen(port, "127.0.0.1", () =>
      resolve({
        port: (server.address() as AddressInfo).port,
        stats: () => ({ messages, bytes, uniqueIds: ids.size, malformed }),
        reset: () => {
          messages = 0;
          bytes = 0;
          malformed = 0;
          ids = new Set();
        },
        close: () => {
          for (const s of sockets) s.destroy();
          return new Promise((r) => server.close(() => r()));
        },
      }),
    );
  });
}

// As a child process: port out on IPC, stats on request.
if (process.send && process.argv[1]?.includes("smtp-sink")) {
  startSmtpSink().then((sink) => {
    process.send!({ type: "ready", port: sink.port });
    process.on("disconnect", () => process.exit(0)); // the parent is gone: so is the reason to listen
    process.on("message", (message: { type: string }) => {
      if (message.type === "stats") process.send!({ type: "stats", stats: sink.stats() });
      else if (message.type === "reset") {
        sink.reset();
        process.send!({ type: "reset" });
      } else if (message.type === "exit") sink.close().then(() => process.exit(0));
    });
  });
}
