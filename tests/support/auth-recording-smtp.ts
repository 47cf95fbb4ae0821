// A raw SMTP server on loopback that offers AUTH and records every credential it is sent: tests use it to prove
// where a sender's password goes (and where it never does). Any login succeeds; mail is accepted and dropped.
import net from "node:net";
import type { AddressInfo } from "node:net";

export type AuthRecordingSmtp = {
  port: number;
  /** The decoded credentials of every AUTH attempt, in order ("user:password"). */
  logins: string[];
  close: () => Promise<void>;
};

export async function startAuthRecordingSmtp({ offerAuth = true } = {}): Promise<AuthRecordingSmtp> {
  const logins: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => undefined);
    socket.write("220 recorder ESMTP\r\n");
    let buffer = "";
    let inData = false;
    let loginUser: string | null = null;
    let awaiting: "user" | "pass" | null = null;
    socket.on("data", (chunk) => {
      buffer += chunk.toString("latin1");
      let end: number;
      while ((end = buffer.indexOf("\r\n")) >= 0) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (inData) {
          if (line === ".") {
            inData = false;
            socket.write("250 2.0.0 Ok\r\n");
          }
          continue;
        }
        if (awaiting === "user") {
          loginUser = decode(line);
          awaiting = "pass";
          socket.write("334 UGFzc3dvcmQ6\r\n");
          continue;
        }
        if (awaiting === "pass") {
          logins.push(`${loginUser}:${decode(line)}`);
          awaiting = null;
          socket.write("235 2.7.0 Authentication successful\r\n");
          continue;
        }
        const [verb = "", ...rest] = line.split(" ");
        switch (verb.toUpperCase()) {
          case "EHLO":
            socket.write(offerAuth ? "250-recorder\r\n250 AUTH PLAIN LOGIN\r\n" : "250 recorder\r\n");
            break;
          case "AUTH": {
            const [method = "", initial] = rest;
            if (method.toUpperCase() === "PLAIN" && initial) {
              const [, user, pass] = decode(initial).split("\u0000");
              logins.push(`${user}:${pass}`);
              socket.write("235 2.7.0 Authentication successful\r\n");
            } else if (method.toUpperCase() === "LOGIN") {
              awaiting = "user";
              socket.write("334 VXNlcm5hbWU6\r\n");
            } else socket.write("504 5.5.4 Unrecognized authentication type\r\n");
            break;
          }
          case "DATA":
            inData = true;
            socket.write("354 Go ahead\r\n");
            break;
          case "QUIT":
            socket.end("221 Bye\r\n");
            break;
          default:
            socket.write("250 2.1.0 Ok\r\n");
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    logins,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

const decode = (b64: string) => Buffer.from(b64, "base64").toString("utf8");
