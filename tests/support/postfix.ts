// A private Postfix 3.7 with Dovecot 2.3 for SASL, the tests' real mail server. Everything lives in one temp
// directory (config, queue, data, Maildir, logs): `postfix -c DIR` never reads or starts the system's instance.
// It listens on 127.0.0.1 only, on free high ports, and cannot relay: every recipient of every domain is a
// virtual mailbox delivered to one catch-all Maildir, and every other transport is `error`.
import { execFile, execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { simpleParser, type ParsedMail } from "mailparser";
import {
  dovecotConf,
  MAIL_ID,
  mainCf,
  masterCf,
  writeRecipientMap,
  type PostfixPorts,
} from "@/tests/support/postfix-config";
import { makeTestCertificates, OPENSSL, type TestCertificates } from "@/tests/support/test-certificates";

const run = promisify(execFile);

const POSTFIX = "/usr/sbin/postfix";
const POSTLOG = "/usr/sbin/postlog";
const POSTFIX_MASTER = "/usr/lib/postfix/sbin/master";
const DOVECOT = "/usr/sbin/dovecot";

export type DeliveredMail = { file: string; deliveredTo: string; parsed: ParsedMail; raw: Buffer };

export type PostfixServer = {
  ports: PostfixPorts;
  /** The SASL login Dovecot accepts. */
  login: { username: string; password: string };
  /** PEM of the CA that signed the certificate on submission and smtps. */
  caFile: string;
  /** Sets the replies RCPT TO gets for chosen addresses ("450 4.2.1 …"), all others accepted; then reloads. */
  setRecipientReplies: (replies: Record<string, string>) => Promise<void>;
  /** Every message in the catch-all Maildir, one file per delivered recipient. */
  delivered: () => Promise<DeliveredMail[]>;
  /** Postfix's log, complete up to this call (waits for its own marker line to be written). */
  log: () => Promise<string>;
  /** Dovecot's log (auth results). */
  authLog: () => string;
  stop: () => Promise<void>;
};

/** Why this machine cannot run the private Postfix, or null when it can. Synchronous: decides skips. */
export function postfixUnavailableReason(): string | null {
  const missing = [POSTFIX, POSTLOG, POSTFIX_MASTER, DOVECOT, OPENSSL].filter((f) => !fs.existsSync(f));
  if (missing.length > 0)
    return `not installed: ${missing.join(", ")} (apt-get install postfix dovecot-core openssl; .ci/run does)`;
  if (process.getuid?.() !== 0)
    return "Postfix's master daemon must be started as root, and this is not root";
  for (const [kind, name] of [
    ["passwd", "postfix"],
    ["group", "postdrop"],
    ["passwd", "dovecot"],
    ["passwd", "dovenull"],
  ] as const) {
    try {
      execFileSync("getent", [kind, name], { stdio: "ignore" });
    } catch {
      return `the ${kind === "passwd" ? "user" : "group"} "${name}" that the Debian packages create is missing`;
    }
  }
  return null;
}

export async function startPostfix(
  options: {
    /** Made beforehand when the CA must be known before the app reads its environment. */
    certificates?: TestCertificates;
    recipientReplies?: Record<string, string>;
  } = {},
): Promise<PostfixServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "securevault-postfix-"));
  const at = (...parts: string[]) => path.join(dir, ...parts);
  for (const d of ["conf", "queue", "data", "mail", "dovecot"]) fs.mkdirSync(at(d));
  // The tests read the Maildir; Postfix's daemons and the delivery agent need their own directories.
  fs.chmodSync(dir, 0o755);
  fs.chownSync(at("data"), uid("postfix"), gid("postfix"));
  fs.chownSync(at("mail"), MAIL_ID, MAIL_ID);

  const certs = options.certificates ?? (await makeTestCertificates(at("tls")));
  const [plain, noChunking, noPipelining, small, submission, smtps, untrusted] = await freePorts(7);
  const ports: PostfixPorts = {
    plain: plain!,
    noChunking: noChunking!,
    noPipelining: noPipelining!,
    small: small!,
    submission: submission!,
    smtps: smtps!,
    untrusted: untrusted!,
  };
  const login = { username: "me@acme.test", password: "s3cret-app-password" };

  writeRecipientMap(at("conf", "recipients"), options.recipientReplies ?? {});
  fs.writeFileSync(at("conf", "main.cf"), mainCf(dir, certs));
  fs.writeFileSync(at("conf", "master.cf"), masterCf(ports, certs));
  // Dovecot's auth process reads the users as the dovecot group; nobody else may.
  fs.writeFileSync(at("dovecot", "passwd"), `${login.username}:{PLAIN}${login.password}\n`, { mode: 0o640 });
  fs.chownSync(at("dovecot", "passwd"), 0, gid("dovecot"));
  fs.writeFileSync(at("dovecot", "dovecot.conf"), dovecotConf(dir));

  const conf = at("conf");
  const postfixLog = at("postfix.log");
  const dovecotLog = at("dovecot", "dovecot.log");
  let dovecot: ChildProcess | undefined;
  let postfixStarted = false;

  // A test process that ends without stop() (a crash, a failed hook) takes its daemons with it.
  const masterPid = at("queue", "pid", "master.pid");
  const onExit = () => {
    if (postfixStarted) killMaster(masterPid);
    dovecot?.kill("SIGTERM");
  };
  process.once("exit", onExit);

  async function stop() {
    process.off("exit", onExit);
    if (postfixStarted) {
      postfixStarted = false;
      await run(POSTFIX, ["-c", conf, "stop"]).catch(() => killMaster(masterPid));
      await waitFor(() => !masterAlive(masterPid), "Postfix's master to exit");
    }
    if (dovecot && dovecot.exitCode === null) {
      const exited = new Promise((resolve) => dovecot!.once("exit", resolve));
      dovecot.kill("SIGTERM");
      await exited;
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }

  try {
    // Dovecot first: smtpd connects to its auth socket (inside Postfix's queue directory) per login.
    fs.mkdirSync(at("queue", "private"), { recursive: true, mode: 0o700 });
    fs.chownSync(at("queue", "private"), uid("postfix"), gid("postfix"));
    dovecot = spawn(DOVECOT, ["-F", "-c", at("dovecot", "dovecot.conf")], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    let dovecotErrors = "";
    dovecot.stderr!.on("data", (chunk: Buffer) => (dovecotErrors += chunk.toString()));
    await waitFor(
      () => fs.existsSync(at("queue", "private", "auth")) || dovecot!.exitCode !== null,
      "Dovecot's auth socket",
    );
    if (dovecot.exitCode !== null) throw new Error(`Dovecot did not start: ${dovecotErrors}`);

    // `check` creates the queue's directories; the start after it may skip the same checks (twice, slowly).
    await run(POSTFIX, ["-c", conf, "check"]);
    fs.writeFileSync(at("queue", "quick-start"), "");
    await run(POSTFIX, ["-c", conf, "start"]);
    postfixStarted = true;
    await Promise.all(Object.values(ports).map((port) => waitForListener(port)));
  } catch (e) {
    const log = fs.existsSync(postfixLog) ? fs.readFileSync(postfixLog, "utf8") : "";
    await stop().catch(() => undefined);
    throw new Error(`The private Postfix did not start: ${(e as Error).message}\n${log}`);
  }

  async function log(): Promise<string> {
    // postlogd writes what every daemon sent it in order: once our own line is there, all before it is.
    const marker = `log-barrier-${Date.now()}-${Math.random().toString(36).slice(2)}`;
    await run(POSTLOG, ["-c", conf, "-t", "securevault-test", marker]);
    await waitFor(() => fs.readFileSync(postfixLog, "utf8").includes(marker), "Postfix's log to catch up");
    return fs.readFileSync(postfixLog, "utf8");
  }

  return {
    ports,
    login,
    caFile: certs.caFile,
    async setRecipientReplies(replies) {
      writeRecipientMap(at("conf", "recipients"), replies);
      // Every smtpd serves one session (max_use=1) and reads the map as it starts; reload ends idle ones too.
      // The reload is asynchronous: a connection made while the master handles it waits past a client's
      // greeting timeout. Wait for the master's own "reload" line, then for a greeting on the plain port.
      const reloads = () =>
        fs.readFileSync(postfixLog, "utf8").match(/postfix\/master\[\d+\]: reload /g)?.length ?? 0;
      const before = reloads();
      await run(POSTFIX, ["-c", conf, "reload"]);
      await waitFor(async () => (await log(), reloads() > before), "Postfix to finish reloading");
      await waitFor(() => greets(ports.plain), "Postfix to greet again after reloading");
    },
    async delivered() {
      // The client's 250 means queued: wait until the queue manager has delivered everything it took.
      const queued = () =>
        ["maildrop", "incoming", "active", "deferred"].flatMap((q) =>
          fs.readdirSync(at("queue", q), { recursive: true, withFileTypes: true }).filter((e) => e.isFile()),
        );
      await waitFor(() => queued().length === 0, "Postfix to deliver what it queued").catch(async (e) => {
        throw new Error(`${(e as Error).message}\n${await log()}`);
      });
      const files: string[] = [];
      for (const sub of ["new", "cur"]) {
        const d = at("mail", "catchall", sub);
        if (fs.existsSync(d)) files.push(...fs.readdirSync(d).map((f) => path.join(d, f)));
      }
      return Promise.all(
        files.map(async (file) => {
          const raw = fs.readFileSync(file);
          const parsed = await simpleParser(raw);
          // The virtual delivery agent writes the envelope recipient of this copy on top.
          const deliveredTo = /^Delivered-To: *(\S+)\r?$/im.exec(raw.toString("utf8"))?.[1] ?? "";
          return { file, deliveredTo, parsed, raw };
        }),
      );
    },
    log,
    authLog: () => (fs.existsSync(dovecotLog) ? fs.readFileSync(dovecotLog, "utf8") : ""),
    stop,
  };
}

/** Distinct free ports on 127.0.0.1: all held at once while asked for, so no two are the same. */
async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<net.Server>((resolve, reject) => {
          const s = net.createServer();
          s.once("error", reject);
          s.listen(0, "127.0.0.1", () => resolve(s));
        }),
    ),
  );
  const ports = servers.map((s) => (s.address() as net.AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

/** True when the server on the port sends its 220 greeting within a second. */
function greets(port: number): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once("data", (chunk) => done(chunk.toString("latin1").startsWith("220")));
    socket.once("error", () => done(false));
  });
}

function waitForListener(port: number): Promise<void> {
  return waitFor(
    () =>
      new Promise<boolean>((resolve) => {
        const socket = net.connect(port, "127.0.0.1");
        socket.once("connect", () => {
          socket.destroy();
          resolve(true);
        });
        socket.once("error", () => resolve(false));
      }),
    `Postfix to listen on 127.0.0.1:${port}`,
  );
}

async function waitFor(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function masterAlive(pidFile: string): boolean {
  const pid = fs.existsSync(pidFile) ? fs.readFileSync(pidFile, "utf8").trim() : "";
  if (!pid) return false;
  // A process that exited but was not yet reaped by whoever adopted it counts as gone.
  const stat = fs.existsSync(`/proc/${pid}/stat`) ? fs.readFileSync(`/proc/${pid}/stat`, "utf8") : "";
  return stat !== "" && stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
}

function killMaster(pidFile: string) {
  const pid = fs.existsSync(pidFile) ? Number(fs.readFileSync(pidFile, "utf8").trim()) : 0;
  try {
    if (pid) process.kill(pid, "SIGTERM");
  } catch {
    // Already gone.
  }
}

function uid(user: string): number {
  return Number(execFileSync("id", ["-u", user]).toString().trim());
}

function gid(user: string): number {
  return Number(execFileSync("id", ["-g", user]).toString().trim());
}
