import { cookies } from "next/headers";
import type { ReactNode } from "react";
import { AppShell } from "@/components/layout/app-shell";
import { WELCOME_DONE_COOKIE } from "@/components/layout/welcome-cookie";
import { requirePageUser } from "@/lib/auth/session";
import { hasOwnSender } from "@/lib/senders/senders";

export default async function SignedInLayout({ children }: { children: ReactNode }) {
  const user = await requirePageUser();
  // The first run lasts until the user picks a path or connects an account of their own.
  const firstRun = !(await cookies()).has(WELCOME_DONE_COOKIE) && !(await hasOwnSender(user.id));
  return (
    <AppShell user={{ id: user.id, email: user.email }} firstRun={firstRun}>
      {children}
    </AppShell>
  );
}
