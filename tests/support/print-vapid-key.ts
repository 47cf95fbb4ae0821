// Prints this installation's VAPID public key: the vapid tests start several of these at once on one DATA_DIR.
import { getVapidPublicKey } from "@/lib/push/vapid";

console.log(getVapidPublicKey());
