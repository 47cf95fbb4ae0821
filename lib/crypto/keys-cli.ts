// npm run keys:rotate [-- --reencrypt | --prune] — rotate the key that encrypts SMTP passwords, while the app keeps running.
import "@/lib/server/load-dotenv";
import { getKeyRing } from "@/lib/crypto/key-ring";
import { keysFromFile } from "@/lib/crypto/instance-secrets";
import { addNewestKey, pruneUnusedKeys, reencryptAll } from "@/lib/crypto/rotate";

async function main(args: string[]): Promise<number> {
  if (args.includes("--prune")) {
    const dropped = await pruneUnusedKeys();
    console.log(dropped.length ? `Removed unused keys: ${dropped.join(", ")}` : "No unused keys to remove.");
    return 0;
  }
  // From the environment, the admin has put the new key first already; from the data dir, we add one —
  // unless this run only finishes an earlier rotation (--reencrypt).
  const addKey = keysFromFile() && !args.includes("--reencrypt");
  const keyId = addKey ? addNewestKey() : getKeyRing({ reload: true }).current.id;
  const report = await reencryptAll();
  console.log(JSON.stringify(report));
  console.log(
    report.remainingOnOldKeys
      ? `Now encrypting with ${keyId}; ${report.remainingOnOldKeys} secret(s) still use an older key (edited during the run): run "npm run keys:rotate -- --reencrypt".`
      : `All secrets now use key ${keyId}. Old keys stay readable; once every server has been running for a minute, ` +
          "`npm run keys:rotate -- --prune` removes them.",
  );
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
