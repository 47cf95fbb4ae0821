// Which files the server previews inline; plain (not a client module), so a server component can ask it too.

/** Image types the server previews inline (the rest are downloads only). */
export const isPreviewable = (contentType: string) => /^image\/(png|jpeg|gif|webp)$/.test(contentType);
