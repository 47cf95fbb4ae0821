import DraftsOutlined from "@mui/icons-material/DraftsOutlined";
import EditOutlined from "@mui/icons-material/EditOutlined";
import CampaignOutlined from "@mui/icons-material/CampaignOutlined";
import InboxOutlined from "@mui/icons-material/InboxOutlined";
import OutboxOutlined from "@mui/icons-material/OutboxOutlined";
import SendOutlined from "@mui/icons-material/SendOutlined";
import SettingsOutlined from "@mui/icons-material/SettingsOutlined";

/**
 * Main navigation, in the desktop sidebar and the phone bottom bar alike. `key`: the keyboard shortcut that opens
 * the screen (components/layout/keyboard-shortcuts.tsx) — "c" alone, or "g" then the letter. `phone: false` items
 * stay out of the phone bottom bar, which has room for six (Campaigns is desk work; its address still works).
 */
export const navItems = [
  { href: "/compose", label: "Compose", Icon: EditOutlined, key: "c", phone: true },
  { href: "/outbox", label: "Outbox", Icon: OutboxOutlined, key: "g o", phone: true },
  { href: "/drafts", label: "Drafts", Icon: DraftsOutlined, key: "g d", phone: true },
  { href: "/sent", label: "Sent", Icon: SendOutlined, key: "g s", phone: true },
  { href: "/campaigns", label: "Campaigns", Icon: CampaignOutlined, key: "g p", phone: false },
  { href: "/mailbox", label: "Mailbox", Icon: InboxOutlined, key: "g m", phone: true },
  { href: "/settings", label: "Settings", Icon: SettingsOutlined, key: "g t", phone: true },
] as const;
