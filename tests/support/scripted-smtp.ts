// A raw SMTP server on loopback that misbehaves on purpose: for client and delivery fault tests that
// smtp-server's hooks cannot express (a greeting that never comes, a connection dropped after the data, a slow
// or missing final reply, a server that refuses MAIL and then reads whatever follows as commands, as Postfix
// does with BDAT it refused). It records every line it read as a command and every AUTH attempt, so a test can
// assert that no line of a message was ever taken as a command.
import net from "node:net";
import type { AddressInfo } from "node:net";

export type Misbehaviour =
  | "silent"
  | "drop-after-data"
  | { slowFinalReplyMs: number }
  /** Every reply, the greeting included, comes this long after it is due. */
  | { stallEveryReplyMs: number };

export type SmtpScript = {
  /** Never say hello (the connection is accepted and left hanging). */
  silent?: boolean;
  /** EHLO keywords after the server's name. */
  capabilities?: string[];
  /** Reply to MAIL FROM; a non-2xx one leaves no transaction (and BDAT is then not read as data). */
  mail?: string;
  /** Reply to RCPT TO for an address. */
  rcpt?: (address: string) => string;
  /** Answer DATA with 354 even when no recipient was accepted (a broken server: the client must send no body). */
  dataWithoutRecipients?: boolean;
  /** Reply to every AUTH attempt (235 signs in). */
  auth?: string;
  /** Wait this long before answering a command (MAIL, RCPT, DATA, BDAT command lines), ms. */
  commandDelayMs?: number;
  /** After a message's data: answer after a delay, never answer, or hang up. */
  afterData?: { delayMs: number } | "never" | "drop";
  /** The verdict after the data, when one is given. */
  finalReply?: string;
  /** Every reply, the greeting included, comes this long after it is due, ms (a stalled server). */
  stallEveryReplyMs?: number;
};

export type ScriptedSmtp = {
  port: number;
  /** Messages whose data was read in full (whatever the server then answered). */
  accepted: () => number;
  /** Every line read in command state, in order, across connections. */
  commands: string[];
  /** Every line of message data read after a 354 (the final "." left out). */
  dataLines: string[];
  /** AUTH commands received. */
  authAttempts: () => number;
  /** TCP connections accepted. */
  connections: () => number;
  close: () => Promise<void>;
};

function scriptOf(behaviour: Misbehaviour | SmtpScript): SmtpScript {
  if (behaviour === "silent") return { silent: true };
  if (behaviour === "drop-after-data") return { afterData: "drop" };
  if ("slowFinalReplyMs" in behaviour) return { afterData: { delayMs: behaviour.slowFinalReplyMs } };
  return behaviour;
}

export async function startScriptedSmtp(behaviour: Misbehaviour | SmtpScript): Promise<ScriptedSmtp> {
  const script = scriptOf(behaviour);
  const capabilities = script.capabilities ?? ["8BITMIME"];
  const finalReply = script.finalReply ?? "250 2.0.0 Ok: queued slowly";
  let accepted = 0;
  let authAttempts = 0;
  let connections = 0;
  const commands: string[] = [];
  const dataLines: string[] = [];
  const sockets = new Set<net.Socket>();

  const server = net.createServer((socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => undefined);
    if (script.silent) return;
    const stallMs = script.stallEveryReplyMs ?? 0;
    if (stallMs === 0) socket.write("220 scripted ESMTP\r\n");
    else setTimeout(() => !socket.destroyed && socket.write("220 scripted ESMTP\r\n"), stallMs).unref();
    let buffer = Buffer.alloc(0);
    let inData = false;
    let chunkLeft = -1;
    let hasMail = false;
    let recipients = 0;
    // Replies leave in order even when some wait: each goes after the one before it.
    let replies = Promise.resolve();
    const reply = (text: string, delayMs = 0) => {
      replies = replies.then(
        () =>
          new Promise<void>((resolve) =>
            setTimeout(
              () => {
                if (!socket.destroyed) socket.write(text);
                resolve();
              },
              delayMs + (script.stallEveryReplyMs ?? 0),
            ),
          ),
      );
    };
    const endOfMessage = () => {
      accepted += 1;
      hasMail = false;
      recipients = 0;
      const after = script.afterData ?? { delayMs: 0 };
      if (after === "drop") {
        replies = replies.then(() => void socket.destroy());
        return;
      }
      // Silence from here on: a later command's reply must not pass for the message's verdict.
      if (after === "never") {
        replies = new Promise<void>(() => undefined);
        return;
      }
      reply(`${finalReply}\r\n`, after.delayMs);
    };

    socket.on("data", (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        if (chunkLeft >= 0) {
          const take = Math.min(chunkLeft, buffer.length);
          buffer = buffer.subarray(take);
          chunkLeft -= take;
          if (chunkLeft > 0) return;
          chunkLeft = -1;
          endOfMessage();
          continue;
        }
        const end = buffer.indexOf("\r\n");
        if (end < 0) return;
        const line = buffer.subarray(0, end).toString("latin1");
        buffer = buffer.subarray(end + 2);
        if (inData) {
          if (line !== ".") {
            dataLines.push(line);
            continue;
          }
          inData = false;
          endOfMessage();
          continue;
        }
        commands.push(line);
        const verb = line.slice(0, 4).toUpperCase();
        const delay = script.commandDelayMs ?? 0;
        if (verb === "EHLO")
          reply(
            ["250-scripted", ...capabilities].join("\r\n250-").replace(/250-([^\r]*)$/, "250 $1") + "\r\n",
          );
        else if (verb === "HELO") reply("250 scripted\r\n");
        else if (verb === "AUTH") {
          authAttempts += 1;
          reply(`${script.auth ?? "235 2.7.0 Authentication successful"}\r\n`);
        } else if (verb === "MAIL") {
          const text = script.mail ?? "250 2.1.0 Ok";
          hasMail = text.startsWith("2");
          reply(`${text}\r\n`, delay);
        } else if (verb === "RCPT") {
          const address = /<(.*)>/.exec(line)?.[1] ?? "";
          const text = hasMail
            ? (script.rcpt?.(address) ?? "250 2.1.5 Ok")
            : "503 5.5.1 Error: need MAIL command";
          if (text.startsWith("2")) recipients += 1;
          reply(`${text}\r\n`, delay);
        } else if (verb === "DATA") {
          if ((hasMail && recipients > 0) || script.dataWithoutRecipients) {
            inData = true;
            reply("354 End data with <CR><LF>.<CR><LF>\r\n", delay);
          } else
            reply(
              `${script.mail && !hasMail ? script.mail : "554 5.5.1 Error: no valid recipients"}\r\n`,
              delay,
            );
        } else if (verb === "BDAT") {
          // Like Postfix refusing BDAT outside a transaction: the refusal, and the chunk is NOT skipped, so its
          // bytes are read as commands. A client must never send BDAT before its envelope was accepted.
          if (hasMail && recipients > 0) chunkLeft = Number(line.split(" ")[1]);
          else
            reply(
              `${script.mail && !hasMail ? script.mail : "503 5.5.1 Error: need RCPT command"}\r\n`,
              delay,
            );
        } else if (verb === "RSET") {
          hasMail = false;
          recipients = 0;
          reply("250 2.0.0 Ok\r\n");
        } else if (verb === "NOOP") reply("250 2.0.0 Ok\r\n");
        else if (verb === "QUIT") {
          replies = replies.then(() => void socket.end("221 2.0.0 Bye\r\n"));
          return;
        } else reply("502 5.5.2 Error: command not recognized\r\n");
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    accepted: () => accepted,
    commands,
    dataLines,
    authAttempts: () => authAttempts,
    connections: () => connections,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
