import type { Metadata } from "next";
import { CampaignsHome } from "@/components/campaigns/campaigns-home";

export const metadata: Metadata = { title: "Campaigns" };

export default function CampaignsPage() {
  return <CampaignsHome />;
}
