export declare const PEER_HEADER: string;
export declare function markPeer(
  headers: Record<string, string | string[] | undefined>,
  remoteAddress: string | undefined,
): void;
