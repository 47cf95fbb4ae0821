import type { Metadata } from "next";
import { AppearancePanel } from "@/components/settings/appearance-panel";

export const metadata: Metadata = { title: "Appearance · Settings" };

export default function AppearanceSettingsPage() {
  return <AppearancePanel />;
}
