import { expect, test, type APIRequestContext } from "@playwright/test";
import type { MetadataRoute } from "next";

type ManifestIcon = NonNullable<MetadataRoute.Manifest["icons"]>[number];

async function getManifest(request: APIRequestContext): Promise<MetadataRoute.Manifest> {
  const res = await request.get("/manifest.webmanifest");
  expect(res.status()).toBe(200);
  expect(res.headers()["content-type"]).toMatch(/^application\/(manifest\+)?json\b/);
  return (await res.json()) as MetadataRoute.Manifest;
}

test("the web app manifest makes SecureVault installable", async ({ request }) => {
  const manifest = await getManifest(request);
  expect(manifest).toMatchObject({
    id: "/",
    name: "SecureVault",
    short_name: "SecureVault",
    start_url: "/compose",
    scope: "/",
    display: "standalone",
    theme_color: "#1d4ed8",
    background_color: "#ffffff",
  });
  expect(manifest.description).toBeTruthy();

  const icons = manifest.icons ?? [];
  expect(icons.map((icon) => icon.sizes)).toEqual(expect.arrayContaining(["192x192", "512x512"]));
  expect(icons.filter((icon) => icon.purpose?.split(" ").includes("maskable"))).not.toHaveLength(0);
});

test("every icon in the manifest is a PNG of its declared size", async ({ request }) => {
  const manifest = await getManifest(request);
  const icons: ManifestIcon[] = [
    ...(manifest.icons ?? []),
    ...(manifest.shortcuts ?? []).flatMap((shortcut) => shortcut.icons ?? []),
  ];
  expect(icons).not.toHaveLength(0);
  for (const icon of icons) {
    const res = await request.get(icon.src);
    expect(res.status(), icon.src).toBe(200);
    expect(res.headers()["content-type"], icon.src).toBe("image/png");
    const { width, height } = pngSize(await res.body());
    expect(icon.sizes?.split(" "), icon.src).toContain(`${width}x${height}`);
  }
});

test("the apple-touch-icon is a 180x180 PNG", async ({ request }) => {
  const res = await request.get("/icons/apple-touch-icon.png");
  expect(res.status()).toBe(200);
  expect(res.headers()["content-type"]).toBe("image/png");
  expect(pngSize(await res.body())).toEqual({ width: 180, height: 180 });
});

test("shortcuts open Compose and the Outbox; shared content opens Compose", async ({ request }) => {
  const manifest = await getManifest(request);
  const targets = (manifest.shortcuts ?? []).map((shortcut) => new URL(shortcut.url, "http://app").pathname);
  expect(targets).toEqual(expect.arrayContaining(["/compose", "/outbox"]));

  expect(manifest.share_target).toEqual({
    action: "/compose",
    method: "GET",
    params: { title: "title", text: "text", url: "url" },
  });
});

test("pages link the manifest", async ({ page }) => {
  await page.goto("/sign-in");
  const href = await page.locator("link[rel=manifest]").getAttribute("href");
  expect(href && new URL(href, page.url()).pathname).toBe("/manifest.webmanifest");
});

/** Width and height from the IHDR chunk, which a valid PNG always puts first. */
function pngSize(png: Buffer): { width: number; height: number } {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(png.subarray(0, 8).equals(signature), "PNG signature").toBe(true);
  expect(png.toString("latin1", 12, 16), "first chunk").toBe("IHDR");
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}
