// The configuration files of the tests' private Postfix and Dovecot (tests/support/postfix.ts): one directory
// holds everything, smtpd listens on 127.0.0.1 only, and nothing can leave.
import fs from "node:fs";
import type { TestCertificates } from "@/tests/support/test-certificates";

/** The uid/gid the virtual delivery agent writes the Maildir as ("nobody"). */
export const MAIL_ID = 65534;

/** Each listener is its own smtpd service, configured the way its case needs. */
export type PostfixPorts = {
  /** No TLS offered; AUTH in the clear (a relay on a trusted network). */
  plain: number;
  /** As plain, without CHUNKING in EHLO. */
  noChunking: number;
  /** As plain, without PIPELINING in EHLO. */
  noPipelining: number;
  /** As plain, with a message size limit of SMALL_SIZE_LIMIT bytes. */
  small: number;
  /** Submission (587-style): STARTTLS required before AUTH or MAIL, certificate from the test's private CA. */
  submission: number;
  /** SMTPS (465-style): TLS from the first byte, certificate from the private CA. */
  smtps: number;
  /** Submission with a self-signed certificate no CA vouches for. */
  untrusted: number;
};

export const SMALL_SIZE_LIMIT = 20_000;

export function mainCf(dir: string, certs: TestCertificates): string {
  return `# Written by tests/support/postfix.ts for one test run.
compatibility_level = 3.6
queue_directory = ${dir}/queue
data_directory = ${dir}/data
mail_owner = postfix
setgid_group = postdrop
maillog_file = ${dir}/postfix.log
maillog_file_prefixes = ${dir}
myhostname = mail.postfix-test.invalid
mydomain = postfix-test.invalid
myorigin = $myhostname
inet_interfaces = loopback-only
inet_protocols = ipv4
smtpd_peername_lookup = no
# Nothing leaves: no relay host, and every transport but the catch-all mailbox is an error.
relayhost =
mydestination =
mynetworks =
alias_maps =
alias_database =
local_recipient_maps =
default_transport = error:this test server delivers nowhere
relay_transport = error:this test server delivers nowhere
local_transport = error:this test server delivers nowhere
virtual_mailbox_domains = static:all
virtual_mailbox_base = ${dir}/mail
virtual_mailbox_maps = static:catchall/
virtual_uid_maps = static:${MAIL_ID}
virtual_gid_maps = static:${MAIL_ID}
# SASL through Dovecot; only a signed-in client may send.
smtpd_sasl_type = dovecot
smtpd_sasl_path = private/auth
smtpd_sasl_auth_enable = yes
smtpd_tls_auth_only = no
smtpd_relay_restrictions = permit_sasl_authenticated, reject
smtpd_recipient_restrictions = check_recipient_access texthash:${dir}/conf/recipients, permit_sasl_authenticated, reject
smtpd_tls_chain_files = ${certs.serverKey}, ${certs.serverCert}
smtpd_tls_security_level = may
# Strict, as the issue's Postfix was: bare line feeds and unannounced pipelining are refused.
smtpd_forbid_bare_newline = yes
smtpd_forbid_unauth_pipelining = yes
message_size_limit = 10240000
`;
}

export function masterCf(ports: PostfixPorts, certs: TestCertificates): string {
  // One session per smtpd process: a changed recipient map is read by the next connection.
  const smtpd = (port: number, ...settings: string[]) =>
    [`127.0.0.1:${port} inet n - n - - smtpd -o max_use=1`, ...settings.map((s) => `  -o ${s}`)].join("\n");
  const service = (
    name: string,
    type: string,
    priv: string,
    wakeup: string,
    limit: string,
    command: string,
  ) => `${name} ${type} ${priv} - n ${wakeup} ${limit} ${command}`;
  return [
    smtpd(ports.plain, "smtpd_tls_security_level=none"),
    smtpd(ports.noChunking, "smtpd_tls_security_level=none", "smtpd_discard_ehlo_keywords=chunking"),
    smtpd(ports.noPipelining, "smtpd_tls_security_level=none", "smtpd_discard_ehlo_keywords=pipelining"),
    smtpd(ports.small, "smtpd_tls_security_level=none", `message_size_limit=${SMALL_SIZE_LIMIT}`),
    smtpd(ports.submission, "smtpd_tls_security_level=encrypt", "smtpd_tls_auth_only=yes"),
    smtpd(ports.smtps, "smtpd_tls_wrappermode=yes", "smtpd_tls_security_level=encrypt"),
    smtpd(
      ports.untrusted,
      "smtpd_tls_security_level=encrypt",
      "smtpd_tls_auth_only=yes",
      `smtpd_tls_chain_files=${certs.selfKey},${certs.selfCert}`,
    ),
    service("pickup", "unix", "n", "60", "1", "pickup"),
    service("cleanup", "unix", "n", "-", "0", "cleanup"),
    service("qmgr", "unix", "n", "300", "1", "qmgr"),
    service("tlsmgr", "unix", "-", "1000?", "1", "tlsmgr"),
    service("rewrite", "unix", "-", "-", "-", "trivial-rewrite"),
    service("bounce", "unix", "-", "-", "0", "bounce"),
    service("defer", "unix", "-", "-", "0", "bounce"),
    service("trace", "unix", "-", "-", "0", "bounce"),
    service("verify", "unix", "-", "-", "1", "verify"),
    service("flush", "unix", "n", "1000?", "0", "flush"),
    service("proxymap", "unix", "-", "-", "-", "proxymap"),
    service("showq", "unix", "n", "-", "-", "showq"),
    service("error", "unix", "-", "-", "-", "error"),
    service("retry", "unix", "-", "-", "-", "error"),
    service("discard", "unix", "-", "-", "-", "discard"),
    // The delivery agent writes the Maildir as its owner: it must not run unprivileged.
    "virtual unix - n n - - virtual",
    service("anvil", "unix", "-", "-", "1", "anvil"),
    service("scache", "unix", "-", "-", "1", "scache"),
    service("postlog", "unix-dgram", "n", "-", "1", "postlogd"),
    "",
  ].join("\n");
}

export function dovecotConf(dir: string): string {
  return `# Written by tests/support/postfix.ts: Dovecot only as Postfix's SASL server, no mail protocols.
base_dir = ${dir}/dovecot/run
state_dir = ${dir}/dovecot/state
log_path = ${dir}/dovecot/dovecot.log
protocols =
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_verbose = yes
# Dovecot's default 2 s pause before a failed login's answer would only slow the suite down.
auth_failure_delay = 0
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/dovecot/passwd
}
userdb {
  driver = static
  args = uid=${MAIL_ID} gid=${MAIL_ID} home=${dir}/mail
}
service auth {
  unix_listener ${dir}/queue/private/auth {
    mode = 0660
    user = postfix
    group = postfix
  }
}
`;
}

/** texthash needs no postmap: "address reply" per line, written whole so no reader sees half a file. */
export function writeRecipientMap(file: string, replies: Record<string, string>) {
  const lines = Object.entries(replies).map(([address, reply]) => `${address} ${reply}`);
  fs.writeFileSync(`${file}.new`, lines.length ? `${lines.join("\n")}\n` : "");
  fs.renameSync(`${file}.new`, file);
}
