// The largest message each kind of sender takes, encoded (what the provider counts). Providers publish these;
// a custom server says its own with the EHLO SIZE extension (RFC 1870), which "Test connection" keeps.

const MB = 1024 * 1024;

export type SizeLimitSource = Pick<
  {
    kind: string;
    preset: string;
    host: string | null;
    fromEmail: string;
    oauthProvider: string | null;
    smtpSizeLimit: number | null;
  },
  "kind" | "preset" | "host" | "fromEmail" | "oauthProvider" | "smtpSizeLimit"
>;

export type MessageSizeLimit = { bytes: number; provider: string };

const CONSUMER_MICROSOFT = /@(outlook|hotmail|live|msn)\.[a-z.]+$/i;

/** The sender's limit and whose it is, for the message "Gmail takes messages up to 25 MB". */
export function messageSizeLimitOf(sender: SizeLimitSource, defaultMb: number): MessageSizeLimit {
  const host = (sender.host ?? "").toLowerCase();
  if (sender.kind === "gmail-api" || sender.oauthProvider === "google" || host === "smtp.gmail.com") {
    return { bytes: 25 * MB, provider: "Gmail" };
  }
  if (
    sender.oauthProvider === "microsoft" ||
    host === "smtp.office365.com" ||
    host === "smtp-mail.outlook.com"
  ) {
    return CONSUMER_MICROSOFT.test(sender.fromEmail) || host === "smtp-mail.outlook.com"
      ? { bytes: 20 * MB, provider: "Outlook.com" }
      : { bytes: 35 * MB, provider: "Microsoft 365" };
  }
  if (host === "smtp.mail.yahoo.com") return { bytes: 25 * MB, provider: "Yahoo Mail" };
  if (sender.smtpSizeLimit && sender.smtpSizeLimit > 0) {
    return { bytes: sender.smtpSizeLimit, provider: sender.host ?? "The mail server" };
  }
  return {
    bytes: Math.round(defaultMb * MB),
    provider: sender.kind === "sandbox" ? "The sandbox" : (sender.host ?? "The mail server"),
  };
}
