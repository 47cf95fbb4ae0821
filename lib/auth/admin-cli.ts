// npm run admin -- grant <email> | list — who administers this instance (invitations). The first account is
// the admin; this hands the role to another account, e.g. after the admin's account was deleted.
import "@/lib/server/load-dotenv";
import { db } from "@/lib/db/client";

async function main([command, email]: string[]): Promise<number> {
  if (command === "list") {
    const admins = await db.user.findMany({ where: { isAdmin: true }, select: { email: true } });
    console.log(
      admins.length
        ? admins.map((a) => a.email).join("\n")
        : "No admin. The first account to sign up on an empty instance becomes one; otherwise use grant.",
    );
    return 0;
  }
  if (command === "grant" && email) {
    const updated = await db.user.updateMany({
      where: { email: email.trim().toLowerCase() },
      data: { isAdmin: true },
    });
    if (updated.count === 0) {
      console.error(`No account with the email ${email}.`);
      return 1;
    }
    console.log(`${email} is now an admin.`);
    return 0;
  }
  console.error("Usage: npm run admin -- grant <email> | list");
  return 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
