"use client";
import LogoutOutlined from "@mui/icons-material/LogoutOutlined";
import Box from "@mui/material/Box";
import IconButton from "@mui/material/IconButton";
import dynamic from "next/dynamic";
import NextLink from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { useEffect, useState, type ReactNode } from "react";
import { navItems } from "@/components/layout/nav-items";
import { UserProvider, type ClientUser } from "@/components/layout/user-context";
import { InstallAppButton } from "@/components/pwa/install-prompt";
import { OutboxSync } from "@/components/pwa/outbox-sync";
import { signOutOfServer } from "@/lib/auth/client-sign-in";
import { useOnline, useOutboxCount } from "@/lib/offline/hooks";
import { rememberSignedInUser, stopPushToThisDevice } from "@/lib/offline/session-end";
import { swMessages } from "@/lib/offline/sw-protocol";

// The frame of every signed-in screen: top bar, sidebar (desktop) or bottom bar (phone). Built from plain
// elements rather than AppBar/Drawer/BottomNavigation, which keeps every screen's first load light.

const SIDEBAR_WIDTH = 220;
const TOP_BAR_HEIGHT = 56;
const SignOutDialog = dynamic(() => import("@/components/layout/sign-out-dialog"), { ssr: false });

export function AppShell({ user, children }: { user: ClientUser; children: ReactNode }) {
  const pathname = usePathname();
  const router = useRouter();
  const outboxCount = useOutboxCount(user.id);
  const online = useOnline();
  const [confirmSignOut, setConfirmSignOut] = useState(false);
  const current = navItems.find((item) => pathname.startsWith(item.href))?.href;

  // Remembered so that a later 401 can tell this device whose data to forget (lib/offline/session-end.ts).
  useEffect(() => rememberSignedInUser(user.id), [user.id]);

  function requestSignOut() {
    if (outboxCount > 0) setConfirmSignOut(true);
    else void signOutAndLeave();
  }

  async function signOutAndLeave() {
    setConfirmSignOut(false);
    // This device forgets the user's drafts, outbox, Sent copies and cached screens.
    await (await import("@/lib/offline/db")).clearUserData(user.id);
    navigator.serviceWorker?.controller?.postMessage({ type: swMessages.clearPages });
    // Delivery notifications name recipients and subjects: none for a signed-out device.
    await stopPushToThisDevice();
    // No redirect through next-auth: its URLs assume NEXTAUTH_URL, which self-hosters rarely set.
    await signOutOfServer();
    router.replace("/sign-in");
    router.refresh();
  }

  return (
    <UserProvider user={user}>
      <OutboxSync />
      <Box
        component="header"
        sx={{
          position: "fixed",
          inset: "0 0 auto 0",
          height: TOP_BAR_HEIGHT,
          zIndex: 1100,
          display: "flex",
          alignItems: "center",
          gap: 1,
          px: { xs: 2, sm: 3 },
          bgcolor: "primary.main",
          color: "primary.contrastText",
        }}
      >
        <Box component="span" sx={{ flexGrow: 1, fontWeight: 700, fontSize: 20 }}>
          SecureVault
        </Box>
        {!online && (
          <Box
            component="span"
            role="status"
            data-testid="offline-chip"
            sx={{
              px: 1,
              py: 0.25,
              borderRadius: 4,
              fontSize: 13,
              bgcolor: "warning.light",
              color: "warning.contrastText",
            }}
          >
            Offline
          </Box>
        )}
        <InstallAppButton />
        <Box
          component="span"
          sx={{ fontSize: 14, display: { xs: "none", sm: "block" } }}
          data-testid="signed-in-as"
        >
          {user.email}
        </Box>
        <IconButton color="inherit" aria-label="Sign out" title="Sign out" onClick={requestSignOut}>
          <LogoutOutlined />
        </IconButton>
      </Box>

      <Box sx={{ display: "flex", minHeight: "100dvh", pt: `${TOP_BAR_HEIGHT}px` }}>
        <Box
          component="nav"
          aria-label="Main"
          sx={{
            display: { xs: "none", md: "block" },
            width: SIDEBAR_WIDTH,
            flexShrink: 0,
            position: "sticky",
            top: TOP_BAR_HEIGHT,
            height: `calc(100dvh - ${TOP_BAR_HEIGHT}px)`,
            borderRight: 1,
            borderColor: "divider",
            py: 1,
          }}
        >
          <NavLinks items={navItems} current={current} outboxCount={outboxCount} layout="row" />
        </Box>

        <Box
          component="main"
          sx={{ flexGrow: 1, minWidth: 0, px: { xs: 1.5, sm: 3 }, pt: 2, pb: { xs: 10, md: 3 } }}
        >
          {children}
        </Box>
      </Box>

      <Box
        component="nav"
        aria-label="Main"
        sx={{
          position: "fixed",
          inset: "auto 0 0 0",
          zIndex: 1200,
          display: { xs: "flex", md: "none" },
          height: 60,
          bgcolor: "background.paper",
          borderTop: 1,
          borderColor: "divider",
          boxShadow: 3,
        }}
      >
        <NavLinks
          items={navItems.filter((item) => item.phone)}
          current={current}
          outboxCount={outboxCount}
          layout="column"
        />
      </Box>

      {confirmSignOut && (
        <SignOutDialog
          unsent={outboxCount}
          onCancel={() => setConfirmSignOut(false)}
          onConfirm={() => void signOutAndLeave()}
        />
      )}
    </UserProvider>
  );
}

function NavLinks({
  items,
  current,
  outboxCount,
  layout,
}: {
  items: readonly (typeof navItems)[number][];
  current: string | undefined;
  outboxCount: number;
  layout: "row" | "column";
}) {
  return items.map(({ href, label, Icon }) => (
    <NavLink key={href} href={href} active={current === href} layout={layout}>
      <WithBadge show={href === "/outbox"} count={outboxCount}>
        <Icon />
      </WithBadge>
      {label}
    </NavLink>
  ));
}

function NavLink({
  href,
  active,
  layout,
  children,
}: {
  href: string;
  active: boolean;
  layout: "row" | "column";
  children: ReactNode;
}) {
  return (
    <Box
      component={NextLink}
      href={href}
      aria-current={active ? "page" : undefined}
      sx={{
        display: "flex",
        flexDirection: layout,
        alignItems: "center",
        justifyContent: "center",
        gap: layout === "row" ? 2 : 0.25,
        flex: layout === "column" ? 1 : undefined,
        px: layout === "row" ? 2.5 : 0.5,
        py: layout === "row" ? 1.25 : 0.75,
        mx: layout === "row" ? 1 : 0,
        borderRadius: layout === "row" ? 1 : 0,
        fontSize: layout === "row" ? 15 : 12,
        textDecoration: "none",
        color: active ? "primary.main" : "text.secondary",
        bgcolor: active && layout === "row" ? "action.selected" : "transparent",
        fontWeight: active ? 600 : 400,
        "&:hover": { bgcolor: "action.hover" },
        "&:focus-visible": { outline: 2, outlineColor: "primary.main", outlineOffset: -2 },
        ...(layout === "row" && { justifyContent: "flex-start" }),
      }}
    >
      {children}
    </Box>
  );
}

function WithBadge({ show, count, children }: { show: boolean; count: number; children: ReactNode }) {
  return (
    <Box component="span" sx={{ position: "relative", display: "inline-flex" }}>
      {children}
      {show && count > 0 && (
        <Box
          component="span"
          data-testid="outbox-badge"
          aria-label={`${count} waiting`}
          sx={{
            position: "absolute",
            top: -6,
            right: -10,
            minWidth: 18,
            height: 18,
            px: 0.5,
            borderRadius: 9,
            bgcolor: "warning.main",
            color: "warning.contrastText",
            fontSize: 11,
            fontWeight: 700,
            lineHeight: "18px",
            textAlign: "center",
          }}
        >
          {count}
        </Box>
      )}
    </Box>
  );
}
