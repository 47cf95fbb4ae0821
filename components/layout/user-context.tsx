"use client";
import { createContext, useContext, type ReactNode } from "react";

export type ClientUser = { id: string; email: string };

const UserContext = createContext<ClientUser | null>(null);

export function UserProvider({ user, children }: { user: ClientUser; children: ReactNode }) {
  return <UserContext.Provider value={user}>{children}</UserContext.Provider>;
}

/** The signed-in user, for on-device data that is kept per user (drafts, outbox, Sent cache). */
export function useUser(): ClientUser {
  const user = useContext(UserContext);
  if (!user) throw new Error("useUser() outside the signed-in layout");
  return user;
}
