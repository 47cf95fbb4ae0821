// A raw SMTP server offering PIPELINING and CHUNKING (RFC 3030) for the client's BDAT tests. It is strict where
// a careless client would be caught: a failed transaction is not cleared until RSET (a MAIL before that gets
// 503), BDAT's bytes are read by count whatever the envelope's fate, and nothing but the bytes counted is taken
// as the message. It also takes DATA, so the same server can check a client told not to chunk.
import net from "node:net";
import type { AddressInfo } from "node:net";

export type ChunkingServerOptions = {
  /** RCPT for an address containing this is refused with 550. */
  unknownMarker?: string;
  /** A message containing this is refused with 554 at the end of its data. */
  rejectMarker?: string;
  /** Hang up when the n-th message's data has arrived, before replying to it. */
  dropAtMessage?: number;
};

export type ChunkingServer = {
  port: number;
  /** Messages taken: envelope and the exact bytes. */
  received: { from: string; to: string[]; body: Buffer }[];
  /** Commands seen, by verb. */
  verbs: Map<string, number>;
  /** How many reads the server made; many messages per read shows the client pipelines whole transactions. */
  reads: () => number;
  close: () => Promise<void>;
};

export async function startChunkingSmtp(options: ChunkingServerOptions = {}): Promise<ChunkingServer> {
  const { unknownMarker = "unknown", rejectMarker = "X-Reject: yes", dropAtMessage } = options;
  const received: ChunkingServer["received"] = [];
  const verbs = new Map<string, number>();
  let reads = 0;
  let messages = 0;
  const sockets = new Set<net.Socket>();

  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => undefined);
    socket.write("220 chunking ESMTP\r\n");
    let buffer = Buffer.alloc(0);
    let from: string | null = null;
    let to: string[] = [];
    let failed = false;
    let chunkLeft = -1;
    let chunks: Buffer[] = [];
    let inData = false;

    // The end of a message's data: judged, then the transaction stays as it is until RSET if it failed.
    const finish = (body: Buffer): string | null => {
      messages += 1;
      if (dropAtMessage === messages) return null;
      if (from === null || to.length === 0) {
        failed = true;
        return "554 5.5.1 No valid recipients\r\n";
      }
      if (body.includes(rejectMarker)) {
        failed = true;
        return "554 5.7.1 Message refused\r\n";
      }
      received.push({ from, to, body });
      from = null;
      to = [];
      return "250 2.0.0 Ok: queued as CHUNK\r\n";
    };

    // Replies to one read go out together, as a pipelining server sends them.
    let out = "";
    /** The end of a message's data: its reply is queued, or the server hangs up instead (false). */
    const endOfMessage = (): boolean => {
      const reply = finish(Buffer.concat(chunks));
      chunks = [];
      if (reply === null) {
        socket.write(out);
        socket.destroy();
        return false;
      }
      out += reply;
      return true;
    };

    socket.on("data", (data: Buffer) => {
      reads += 1;
      buffer = Buffer.concat([buffer, data]);
      out = "";
      for (;;) {
        if (chunkLeft >= 0) {
          const take = Math.min(chunkLeft, buffer.length);
          chunks.push(buffer.subarray(0, take));
          buffer = buffer.subarray(take);
          chunkLeft -= take;
          if (chunkLeft > 0) break;
          chunkLeft = -1;
          if (!endOfMessage()) return;
          continue;
        }
        const end = buffer.indexOf("\r\n");
        if (end < 0) break;
        const line = buffer.subarray(0, end).toString("latin1");
        buffer = buffer.subarray(end + 2);
        if (inData) {
          if (line !== ".") {
            chunks.push(Buffer.from(`${line.startsWith(".") ? line.slice(1) : line}\r\n`, "latin1"));
            continue;
          }
          inData = false;
          if (!endOfMessage()) return;
          continue;
        }
        const verb = line.slice(0, 4).toUpperCase();
        verbs.set(verb, (verbs.get(verb) ?? 0) + 1);
        if (verb === "EHLO") out += "250-chunking\r\n250-PIPELINING\r\n250-CHUNKING\r\n250 8BITMIME\r\n";
        else if (verb === "MAIL") {
          if (from !== null || failed) out += "503 5.5.1 Error: nested MAIL command\r\n";
          else {
            from = /<(.*)>/.exec(line)?.[1] ?? "";
            out += "250 2.1.0 Ok\r\n";
          }
        } else if (verb === "RCPT") {
          const address = /<(.*)>/.exec(line)?.[1] ?? "";
          if (from === null) out += "503 5.5.1 Error: need MAIL command\r\n";
          else if (address.includes(unknownMarker)) out += "550 5.1.1 User unknown\r\n";
          else {
            to.push(address);
            out += "250 2.1.5 Ok\r\n";
          }
        } else if (verb === "BDAT") {
          // Only whole messages in one LAST chunk here, which is what the client sends.
          chunkLeft = Number(line.split(" ")[1]);
        } else if (verb === "DATA") {
          if (from === null || to.length === 0) out += "554 5.5.1 No valid recipients\r\n";
          else {
            inData = true;
            out += "354 End data with <CR><LF>.<CR><LF>\r\n";
          }
        } else if (verb === "RSET") {
          from = null;
          to = [];
          failed = false;
          out += "250 2.0.0 Ok\r\n";
        } else if (verb === "QUIT") {
          socket.end(`${out}221 2.0.0 Bye\r\n`);
          return;
        } else out += "502 5.5.2 Error: command not recognized\r\n";
      }
      if (out) socket.write(out);
    });
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    received,
    verbs,
    reads: () => reads,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}
