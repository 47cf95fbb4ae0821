"use client";
import Box from "@mui/material/Box";
import NextLink from "next/link";
import { usePathname } from "next/navigation";

const sections = [
  { href: "/settings/senders", label: "Senders" },
  { href: "/settings/sending", label: "Sending" },
  { href: "/settings/appearance", label: "Appearance" },
  { href: "/settings/notifications", label: "Notifications" },
  { href: "/settings/ai", label: "AI assistant" },
  { href: "/settings/security", label: "Security" },
  { href: "/settings/automation", label: "API & webhooks" },
  { href: "/settings/invitations", label: "Invitations", adminOnly: true },
];

/** The sections of Settings as links; they wrap onto more lines on a phone rather than scroll sideways. */
export function SettingsNav({ isAdmin }: { isAdmin: boolean }) {
  const pathname = usePathname();
  return (
    <Box
      component="nav"
      aria-label="Settings sections"
      sx={{ display: "flex", flexWrap: "wrap", gap: 1, borderBottom: 1, borderColor: "divider", pb: 1.5 }}
    >
      {sections
        .filter((s) => isAdmin || !s.adminOnly)
        .map((s) => {
          const active = pathname === s.href;
          return (
            <Box
              key={s.href}
              component={NextLink}
              href={s.href}
              aria-current={active ? "page" : undefined}
              sx={{
                display: "inline-flex",
                alignItems: "center",
                minHeight: 44,
                px: 1.75,
                borderRadius: 5,
                fontSize: 14,
                fontWeight: active ? 600 : 400,
                textDecoration: "none",
                color: active ? "primary.contrastText" : "text.primary",
                bgcolor: active ? "primary.main" : "action.hover",
                "&:hover": { bgcolor: active ? "primary.dark" : "action.selected" },
                "&:focus-visible": { outline: 2, outlineColor: "primary.main", outlineOffset: 2 },
              }}
            >
              {s.label}
            </Box>
          );
        })}
    </Box>
  );
}
