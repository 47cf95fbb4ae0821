import type { Sender } from "@/lib/generated/prisma/client";

type ServerFields = Pick<Sender, "host" | "port" | "security" | "username">;

/**
 * Where a sender's password was entered for: the server, its security and the account. The password is sent
 * there only; changing any of them needs the password again (a stolen session must not redirect it).
 */
export function secretTargetOf(sender: ServerFields): string {
  return [sender.host ?? "", sender.port ?? "", sender.security ?? "", sender.username ?? ""].join("|");
}

/** Is the stored password still bound to the sender's current server and account? */
export function isSecretBoundToServer(sender: ServerFields & Pick<Sender, "secretTarget">): boolean {
  return sender.secretTarget !== null && sender.secretTarget === secretTargetOf(sender);
}

/** Refuses to use a password for a server it was not entered for (a permanent failure, said in plain words). */
export class SecretTargetMismatchError extends Error {
  readonly code = "EREAUTH";
  constructor() {
    super(
      "The password was saved for another server or username. Edit the sender and enter the password again.",
    );
  }
}
