// Runs the OAuth test services as their own process for the end-to-end suite (see playwright.config.ts): the
// oidc-provider authorization server and the Gmail API stand-in, on the ports given.
import { startTestAuthorizationServer } from "./oauth-authorization-server";
import { startGmailStandIn } from "./oauth-mail-services";

const [authzPort, gmailPort, appBase] = process.argv.slice(2);
void (async () => {
  const authz = await startTestAuthorizationServer(appBase!, Number(authzPort));
  authz.signInAs({ sub: "e2e-account", email: "e2e.user@gmail.test" });
  const gmail = await startGmailStandIn(
    authz,
    "https://www.googleapis.com/auth/gmail.send",
    Number(gmailPort),
  );
  console.log(`authorization server ${authz.issuer}, Gmail stand-in ${gmail.url}`);
})();
