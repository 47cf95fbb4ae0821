import type { Metadata } from "next";
import { connection } from "next/server";
import { SignUpForm } from "@/components/auth/sign-up-form";
import { signUpAvailability } from "@/lib/auth/sign-up-availability";

export const metadata: Metadata = { title: "Create your account" };

export default async function SignUpPage() {
  await connection(); // read at request time: the first account changes what the page says
  return <SignUpForm availability={await signUpAvailability()} />;
}
