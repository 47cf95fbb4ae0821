import { redirect } from "next/navigation";
import { getPageUser } from "@/lib/auth/session";

export default async function Home() {
  redirect((await getPageUser()) ? "/compose" : "/sign-in");
}
