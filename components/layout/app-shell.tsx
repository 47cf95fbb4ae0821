"use client";
import LogoutOutlined from "@mui/icons-material/LogoutOutlined";
import AppBar from "@mui/material/AppBar";
import BottomNavigation from "@mui/material/BottomNavigation";
import BottomNavigationAction from "@mui/material/BottomNavigationAction";
import Box from "@mui/material/Box";
import IconButton from "@mui/material/IconButton";
import List from "@mui/material/List";
import ListItemButton from "@mui/material/ListItemButton";
import ListItemIcon from "@mui/material/ListItemIcon";
import ListItemText from "@mui/material/ListItemText";
import Paper from "@mui/material/Paper";
import Toolbar from "@mui/material/Toolbar";
import Typography from "@mui/material/Typography";
import dynamic from "next/dynamic";
import NextLink from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { useState, type ReactNode } from "react";
import Badge from "@mui/material/Badge";
import { UserProvider, type ClientUser } from "@/components/layout/user-context";
import { InstallAppButton } from "@/components/pwa/install-prompt";
import { OutboxSync } from "@/components/pwa/outbox-sync";
import { useOnline, useOutboxCount } from "@/lib/offline/hooks";
import { swMessages } from "@/lib/offline/sw-protocol";
import { signOutOfServer } from "@/lib/auth/client-sign-in";
import { navItems } from "@/components/layout/nav-items";

const DRAWER_WIDTH = 220;
const SignOutDialog = dynamic(() => import("@/components/layout/sign-out-dialog"), { ssr: false });

export function AppShell({ user, children }: { user: ClientUser; children: ReactNode }) {
  const pathname = usePathname();
  const router = useRouter();
  const outboxCount = useOutboxCount(user.id);
  const online = useOnline();
  const [confirmSignOut, setConfirmSignOut] = useState(false);
  function requestSignOut() {
    if (outboxCount > 0) setConfirmSignOut(true);
    else void signOutAndLeave();
  }

  async function signOutAndLeave() {
    setConfirmSignOut(false);
    // This device forgets the user's drafts, outbox, Sent copies and cached screens.
    await (await import("@/lib/offline/db")).clearUserData(user.id);
    navigator.serviceWorker?.controller?.postMessage({ type: swMessages.clearPages });
    // No redirect through next-auth: its URLs assume NEXTAUTH_URL, which self-hosters rarely set.
    await signOutOfServer();
    router.replace("/sign-in");
    router.refresh();
  }

  const badge = (href: string, icon: ReactNode) =>
    href === "/outbox" ? (
      <Badge badgeContent={outboxCount} color="warning" data-testid="outbox-badge">
        {icon}
      </Badge>
    ) : (
      icon
    );

  const current = navItems.find((item) => pathname.startsWith(item.href))?.href ?? false;

  return (
    <UserProvider user={user}>
      <Box sx={{ display: "flex", minHeight: "100dvh" }}>
        <OutboxSync />
        <AppBar position="fixed" elevation={0} sx={{ zIndex: (t) => t.zIndex.drawer + 1 }}>
          <Toolbar>
            <Typography variant="h6" component="span" sx={{ flexGrow: 1, fontWeight: 700 }}>
              SecureVault
            </Typography>
            {!online && (
              <Box
                component="span"
                role="status"
                data-testid="offline-chip"
                sx={{
                  mr: 1,
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
            <Typography
              variant="body2"
              sx={{ mx: 1, display: { xs: "none", sm: "block" } }}
              data-testid="signed-in-as"
            >
              {user.email}
            </Typography>
            <IconButton color="inherit" aria-label="Sign out" title="Sign out" onClick={requestSignOut}>
              <LogoutOutlined />
            </IconButton>
          </Toolbar>
        </AppBar>

        {/* A plain sidebar rather than a Drawer: it never slides, and it keeps every screen's first load light. */}
        <Box
          sx={{
            display: { xs: "none", md: "block" },
            width: DRAWER_WIDTH,
            flexShrink: 0,
            borderRight: 1,
            borderColor: "divider",
            position: "sticky",
            top: 0,
            height: "100dvh",
            bgcolor: "background.paper",
          }}
        >
          <Toolbar />
          <List component="nav" aria-label="Main">
            {navItems.map(({ href, label, Icon }) => (
              <ListItemButton key={href} component={NextLink} href={href} selected={current === href}>
                <ListItemIcon>{badge(href, <Icon />)}</ListItemIcon>
                <ListItemText primary={label} />
              </ListItemButton>
            ))}
          </List>
        </Box>

        <Box
          component="main"
          sx={{ flexGrow: 1, minWidth: 0, px: { xs: 1.5, sm: 3 }, pt: 2, pb: { xs: 10, md: 3 } }}
        >
          <Toolbar />
          {children}
        </Box>

        <Paper
          elevation={3}
          sx={{
            position: "fixed",
            bottom: 0,
            left: 0,
            right: 0,
            display: { xs: "block", md: "none" },
            zIndex: 1200,
          }}
        >
          <BottomNavigation showLabels value={current} component="nav" aria-label="Main">
            {navItems
              .filter((item) => item.phone)
              .map(({ href, label, Icon }) => (
                <BottomNavigationAction
                  key={href}
                  component={NextLink}
                  href={href}
                  value={href}
                  label={label}
                  icon={badge(href, <Icon />)}
                />
              ))}
          </BottomNavigation>
        </Paper>
        {confirmSignOut && (
          <SignOutDialog
            unsent={outboxCount}
            onCancel={() => setConfirmSignOut(false)}
            onConfirm={() => void signOutAndLeave()}
          />
        )}
      </Box>
    </UserProvider>
  );
}
