// GET /api/push/public-key — the VAPID public key a browser subscribes with (applicationServerKey).
import { withUser } from "@/lib/api/handler";
import { getVapidPublicKey } from "@/lib/push/vapid";

export const GET = withUser(async () => Response.json({ publicKey: getVapidPublicKey() }));
