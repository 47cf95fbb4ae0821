// A raw SMTP server on loopback that misbehaves on purpose: for delivery fault tests that smtp-server's hooks
// cannot express (a greeting that never comes, a connection dropped after DATA, a slow final reply, a server
// that stalls before every reply).
import net from "node:net";
import type { AddressInfo } from "node:net";

export type Misbehaviour =
  | "silent"
  | "drop-after-data"
  | { slowFinalReplyMs: number }
  /** Every reply, the greeting included, comes this long after it is due. */
  | { stallEveryReplyMs: number };

export async function startScriptedSmtp(
  behaviour: Misbehaviour,
): Promise<{ port: number; accepted: () => number; close: () => Promise<void> }> {
  let accepted = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => undefined);
    if (behaviour === "silent") return; // accepts the connection, never says hello
    const stallMs =
      typeof behaviour === "object" && "stallEveryReplyMs" in behaviour ? behaviour.stallEveryReplyMs : 0;
    const reply = (text: string, end = false) => {
      const send = () => (end ? socket.end(text) : socket.write(text));
      if (stallMs === 0) send();
      else setTimeout(() => !socket.destroyed && send(), stallMs).unref();
    };
    reply("220 scripted ESMTP\r\n");
    let inData = false;
    let buffer = "";
    socket.on("data", (chunk) => {
      buffer += chunk.toString("latin1");
      let end: number;
      while ((end = buffer.indexOf("\r\n")) >= 0) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (inData) {
          if (line !== ".") continue;
          inData = false;
          if (behaviour === "drop-after-data") {
            socket.destroy();
            return;
          }
          accepted += 1;
          if ("slowFinalReplyMs" in behaviour)
            setTimeout(() => socket.write("250 2.0.0 Ok: queued slowly\r\n"), behaviour.slowFinalReplyMs);
          else reply("250 2.0.0 Ok: queued\r\n");
          continue;
        }
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === "EHLO" || verb === "HELO") reply("250-scripted\r\n250 8BITMIME\r\n");
        else if (verb === "MAIL" || verb === "RCPT" || verb === "RSET" || verb === "NOOP")
          reply("250 2.1.0 Ok\r\n");
        else if (verb === "DATA") {
          inData = true;
          reply("354 End data with <CR><LF>.<CR><LF>\r\n");
        } else if (verb === "QUIT") reply("221 Bye\r\n", true);
        else reply("502 5.5.2 Command not recognised\r\n");
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    accepted: () => accepted,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
