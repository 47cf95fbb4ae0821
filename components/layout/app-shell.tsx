"use client";
import LogoutOutlined from "@mui/icons-material/LogoutOutlined";
import AppBar from "@mui/material/AppBar";
import BottomNavigation from "@mui/material/BottomNavigation";
import BottomNavigationAction from "@mui/material/BottomNavigationAction";
import Box from "@mui/material/Box";
import Drawer from "@mui/material/Drawer";
import IconButton from "@mui/material/IconButton";
import List from "@mui/material/List";
import ListItemButton from "@mui/material/ListItemButton";
import ListItemIcon from "@mui/material/ListItemIcon";
import ListItemText from "@mui/material/ListItemText";
import Paper from "@mui/material/Paper";
import Toolbar from "@mui/material/Toolbar";
import Tooltip from "@mui/material/Tooltip";
import Typography from "@mui/material/Typography";
import { signOut } from "next-auth/react";
import NextLink from "next/link";
import { usePathname, useRouter } from "next/navigation";
import type { ReactNode } from "react";
import { navItems } from "@/components/layout/nav-items";

const DRAWER_WIDTH = 220;

export function AppShell({ email, children }: { email: string; children: ReactNode }) {
  const pathname = usePathname();
  const router = useRouter();
  async function signOutAndLeave() {
    // No redirect through next-auth: its URLs assume NEXTAUTH_URL, which self-hosters rarely set.
    await signOut({ redirect: false });
    router.replace("/sign-in");
    router.refresh();
  }

  const current = navItems.find((item) => pathname.startsWith(item.href))?.href ?? false;

  return (
    <Box sx={{ display: "flex", minHeight: "100dvh" }}>
      <AppBar position="fixed" elevation={0} sx={{ zIndex: (t) => t.zIndex.drawer + 1 }}>
        <Toolbar>
          <Typography variant="h6" component="span" sx={{ flexGrow: 1, fontWeight: 700 }}>
            SecureVault
          </Typography>
          <Typography
            variant="body2"
            sx={{ mr: 1, display: { xs: "none", sm: "block" } }}
            data-testid="signed-in-as"
          >
            {email}
          </Typography>
          <Tooltip title="Sign out">
            <IconButton color="inherit" aria-label="Sign out" onClick={() => void signOutAndLeave()}>
              <LogoutOutlined />
            </IconButton>
          </Tooltip>
        </Toolbar>
      </AppBar>

      <Drawer
        variant="permanent"
        sx={{
          display: { xs: "none", md: "block" },
          width: DRAWER_WIDTH,
          flexShrink: 0,
          "& .MuiDrawer-paper": { width: DRAWER_WIDTH, boxSizing: "border-box" },
        }}
      >
        <Toolbar />
        <List component="nav" aria-label="Main">
          {navItems.map(({ href, label, Icon }) => (
            <ListItemButton key={href} component={NextLink} href={href} selected={current === href}>
              <ListItemIcon>
                <Icon />
              </ListItemIcon>
              <ListItemText primary={label} />
            </ListItemButton>
          ))}
        </List>
      </Drawer>

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
          {navItems.map(({ href, label, Icon }) => (
            <BottomNavigationAction
              key={href}
              component={NextLink}
              href={href}
              value={href}
              label={label}
              icon={<Icon />}
            />
          ))}
        </BottomNavigation>
      </Paper>
    </Box>
  );
}
