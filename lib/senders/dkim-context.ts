/** The associated data a sender's DKIM key envelope is bound to (lib/crypto/secret-box.ts). */
export const dkimKeyContext = (senderId: string) => `sender:${senderId}:dkim`;
