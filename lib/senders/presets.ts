export type SmtpSecurity = "tls" | "starttls" | "none";
export type PresetId = "gmail" | "outlook" | "yahoo" | "custom";

export type SenderPreset = {
  id: PresetId;
  name: string;
  host?: string;
  port?: number;
  security?: SmtpSecurity;
  /** What the password field should hold, in the provider's own words. */
  passwordHint: string;
};

export const senderPresets: Record<PresetId, SenderPreset> = {
  gmail: {
    id: "gmail",
    name: "Gmail",
    host: "smtp.gmail.com",
    port: 465,
    security: "tls",
    passwordHint: "An app password (Google Account → Security → 2-Step Verification → App passwords).",
  },
  outlook: {
    id: "outlook",
    name: "Outlook / Microsoft 365",
    host: "smtp.office365.com",
    port: 587,
    security: "starttls",
    passwordHint: "Your Microsoft account password; SMTP AUTH must be enabled for the mailbox.",
  },
  yahoo: {
    id: "yahoo",
    name: "Yahoo Mail",
    host: "smtp.mail.yahoo.com",
    port: 465,
    security: "tls",
    passwordHint: "An app password (Yahoo Account security → Generate app password).",
  },
  custom: {
    id: "custom",
    name: "Other SMTP server",
    passwordHint: "The password for the SMTP account.",
  },
};

export const securityLabels: Record<SmtpSecurity, string> = {
  tls: "SSL/TLS (usually port 465)",
  starttls: "STARTTLS (usually port 587)",
  none: "None (not encrypted)",
};
