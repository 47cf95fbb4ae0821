import EditOutlined from "@mui/icons-material/EditOutlined";
import InboxOutlined from "@mui/icons-material/InboxOutlined";
import SendOutlined from "@mui/icons-material/SendOutlined";
import SettingsOutlined from "@mui/icons-material/SettingsOutlined";

export const navItems = [
  { href: "/compose", label: "Compose", Icon: EditOutlined },
  { href: "/sent", label: "Sent", Icon: SendOutlined },
  { href: "/mailbox", label: "Mailbox", Icon: InboxOutlined },
  { href: "/settings", label: "Settings", Icon: SettingsOutlined },
] as const;
