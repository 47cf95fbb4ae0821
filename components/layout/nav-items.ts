import DraftsOutlined from "@mui/icons-material/DraftsOutlined";
import EditOutlined from "@mui/icons-material/EditOutlined";
import InboxOutlined from "@mui/icons-material/InboxOutlined";
import OutboxOutlined from "@mui/icons-material/OutboxOutlined";
import SendOutlined from "@mui/icons-material/SendOutlined";
import SettingsOutlined from "@mui/icons-material/SettingsOutlined";

/** Main navigation; `phone: false` items live only in the desktop drawer (Compose links to Drafts on phones). */
export const navItems = [
  { href: "/compose", label: "Compose", Icon: EditOutlined, phone: true },
  { href: "/outbox", label: "Outbox", Icon: OutboxOutlined, phone: true },
  { href: "/drafts", label: "Drafts", Icon: DraftsOutlined, phone: false },
  { href: "/sent", label: "Sent", Icon: SendOutlined, phone: true },
  { href: "/mailbox", label: "Mailbox", Icon: InboxOutlined, phone: true },
  { href: "/settings", label: "Settings", Icon: SettingsOutlined, phone: true },
] as const;
