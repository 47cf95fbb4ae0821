"use client";
import LogoutOutlined from "@mui/icons-material/LogoutOutlined";
import Box from "@mui/material/Box";
import IconButton from "@mui/material/IconButton";
import dynamic from "next/dynamic";
import NextLink from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { useEffect, useState, type ReactNode } from "react";
import { KeyboardShortcuts } from "@/components/layout/keyboard-shortcuts";
import { navItems } from "@/components/layout/nav-items";
import { SkipLink, MAIN_ID } from "@/components/layout/skip-link";
import { ThemeToggle } from "@/components/layout/theme-toggle";
import { UserProvider, type ClientUser } from "@/components/layout/user-context";
import { InstallAppButton } from "@/components/pwa/install-prompt";
import { OutboxSync } from "@/components/pwa/outbox-sync";
import { signOutOfServer } from "@/lib/auth/client-sign-in";
import { useOnline, useOutboxCount } from "@/lib/offline/hooks";
import { rememberSignedInUser, stopPushToThisDevice } from "@/lib/offline/session-end";
import { swMessages } from "@/lib/offline/sw-protocol";

// The phone bottom bar leaves out what is desk work (nav-items.ts).
const phoneNavItems = navItems.filter((item) => item.phone);

// The frame of every signed-in screen: top bar, sidebar (desktop) or bottom bar (phone). Built from plain
// elements rather than AppBar/Drawer/BottomNavigation, which keeps every screen's first load light.

const SIDEBAR_WIDTH = 220;
const TOP_BAR_HEIGHT = 56;
const SignOutDialog = dynamic(() => import("@/components/layout/sign-out-dialog"), { ssr: false });

const WelcomePanel = dynamic(() => import("@/components/layout/welcome-panel").then((m) => m.WelcomePanel));

/** firstRun: a new account without a sender of its own; Compose then opens with the welcome panel. */
export function AppShell({
  user,
  firstRun,
  children,
}: {
  user: ClientUser;
  firstRun: boolean;
  children: ReactNode;
}) {
  const pathname = usePathname();
  const router = useRouter();
  const outboxCount = useOutboxCount(user.id);
  const online = useOnline();
  const [confirmSignOut, setConfirmSignOut] = useState(false);
  // The layout is not rendered again on navigation: once a path is chosen the panel stays away.
  const [welcome, setWelcome] = useState(firstRun);
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
      <KeyboardShortcuts />
      <SkipLink />
      <Box
        component="header"
        sx={(theme) => ({
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
          ...theme.applyStyles("dark", {
            bgcolor: "background.paper",
            color: "text.primary",
            borderBottom: 1,
            borderColor: "divider",
          }),
        })}
      >
        <Box component="span" sx={{ flexGrow: 1, fontWeight: 700, fontSize: 20, minWidth: 0 }}>
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
              fontWeight: 600,
              // Dark brown on pale amber: readable on the blue bar and on the dark one (WCAG AA).
              bgcolor: "#fff3cd",
              color: "#5c3b00",
            }}
          >
            Offline
          </Box>
        )}
        <InstallAppButton />
        <ThemeToggle />
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
          id={MAIN_ID}
          tabIndex={-1}
          sx={{
            outline: "none",
            flexGrow: 1,
            minWidth: 0,
            px: { xs: 1.5, sm: 3 },
            pt: 2,
            pb: { xs: 10, md: 3 },
          }}
        >
          {welcome && pathname.startsWith("/compose") && <WelcomePanel onDone={() => setWelcome(false)} />}
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
        <NavLinks items={phoneNavItems} current={current} outboxCount={outboxCount} layout="column" />
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
        minWidth: 0,
        minHeight: 44,
        fontSize: layout === "row" ? 15 : 11,
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
