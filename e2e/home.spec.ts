import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, expect, test } from "@playwright/test";
import { checkAccessibility } from "./support/axe";

/** Screenshots for people to look at, kept under target/ by every run. */
const screenshot = (name: string) => path.resolve(__dirname, "..", "target", "e2e", "screenshots", name);

test("the home page shows the service's health answer, rendered by wasm, at phone size", async ({
  page,
  request,
}) => {
  // The app must run under the strict Content-Security-Policy the service sends.
  const violations: string[] = [];
  page.on("console", (message) => {
    if (message.text().includes("Content Security Policy")) violations.push(message.text());
  });
  const response = await page.goto("/");
  const csp = response?.headers()["content-security-policy"] ?? "";
  expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval' 'sha256-");
  expect(csp).not.toContain("unsafe-inline");
  await expect(page.locator("h1")).toHaveText("IKD Web");
  await expect(page.locator("html")).toHaveAttribute("lang", "id");

  const health = page.getByTestId("health");
  await expect(health).toHaveAttribute("data-status", "ok");

  // Citizens read whether the service is available; the operator's detail (version, database,
  // schema, signing key id) stays in the API answer.
  const api = await (await request.get("/api/health")).json();
  expect(api.status).toBe("ok");
  await expect(health).toHaveText("Layanan tersedia");
  const text = await page.locator("body").innerText();
  for (const detail of ["SQLite", "skema", "kid", api.issuerKid, api.version]) expect(text).not.toContain(detail);
  await expect(page.locator(".demo-note")).toContainText("data contoh (demo)");

  // Nothing overflows a 360 px screen.
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow).toBe(0);

  expect(violations).toEqual([]);

  await page.screenshot({ path: screenshot("home-360x740.png"), fullPage: true });
});

test("the page links a valid manifest and registers a service worker that precaches the shell", async ({
  page,
  request,
}) => {
  await page.goto("/");
  const href = await page.locator('link[rel="manifest"]').getAttribute("href");
  expect(href).toBe("/manifest.webmanifest");
  const manifest = await (await request.get(href!)).json();
  expect(manifest.short_name).toBe("IKD");
  expect(manifest.display).toBe("standalone");

  const registration = await page.evaluate(async () => {
    const ready = await navigator.serviceWorker.ready;
    return { scope: ready.scope, script: ready.active?.scriptURL ?? "" };
  });
  expect(new URL(registration.scope).pathname).toBe("/");
  expect(new URL(registration.script).pathname).toBe("/sw.js");

  const cached = await page.evaluate(async () => {
    const names = await caches.keys();
    const shell = names.find((n) => n.startsWith("ikd-shell-"));
    if (!shell) return { names, urls: [] as string[] };
    const requests = await (await caches.open(shell)).keys();
    return { names, urls: requests.map((r) => new URL(r.url).pathname) };
  });
  expect(cached.names.some((n) => /^ikd-shell-[0-9a-f]{16}$/.test(n))).toBe(true);
  expect(cached.urls).toContain("/index.html");
  expect(cached.urls.some((u) => u.endsWith("_bg.wasm"))).toBe(true);
});

test("the first load carries only the main bundle; registration and the verifier are pages of their own, offline too", async ({
  page,
  context,
}) => {
  const fetched: string[] = [];
  page.on("request", (request) => fetched.push(new URL(request.url()).pathname));
  await page.goto("/");
  await expect(page.getByTestId("health")).toHaveAttribute("data-status", "ok");
  expect(fetched.some((p) => /^\/ikd-web-[0-9a-f]+_bg\.wasm$/.test(p))).toBe(true);
  expect(fetched.filter((p) => /ikd-(daftar|verifikasi)/.test(p))).toEqual([]);
  // Past the welcome, the main bundle's pages come in wasm chunks (xtask/src/wasm_split.rs):
  // a first visit of the welcome fetches none of them.
  const chunk = /^\/ikd-web-(chunk_\d+|split_[a-z0-9_]+)-[0-9a-f]{16}\.wasm$/;
  expect(fetched.filter((p) => chunk.test(p))).toEqual([]);

  // The service worker keeps all three bundles, so each page opens offline.
  const cached: string[] = await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    const shell = (await caches.keys()).find((n) => n.startsWith("ikd-shell-")) ?? "";
    return (await (await caches.open(shell)).keys()).map((r) => new URL(r.url).pathname);
  });
  for (const file of ["/index.html", "/daftar.html", "/verifikasi.html"]) expect(cached).toContain(file);
  for (const bundle of ["web", "daftar", "verifikasi"]) {
    expect(cached.some((u) => new RegExp(`^/ikd-${bundle}-[0-9a-f]+_bg\\.wasm$`).test(u)), bundle).toBe(true);
  }
  // ... and every chunk of the main bundle, with the js that loads them.
  expect(cached.filter((u) => chunk.test(u)).length).toBeGreaterThanOrEqual(4);
  expect(cached.some((u) => /^\/ikd-web-split-[0-9a-f]{16}\.js$/.test(u))).toBe(true);

  // A link into another bundle loads its page, and Back returns home.
  await page.getByRole("link", { name: "Daftar di loket Dukcapil" }).click();
  await expect(page).toHaveURL(/\/daftar$/);
  await expect(page.locator("h1")).toHaveText("Daftar KTP Digital");
  await expect(page).toHaveTitle(/Daftar KTP Digital/);
  // The home page is still the entry before this one (Chromium's Navigation API lists them).
  const entries = await page.evaluate(() =>
    (globalThis as unknown as { navigation: { entries(): { url: string }[] } }).navigation
      .entries()
      .map((entry) => new URL(entry.url).pathname),
  );
  expect(entries).toEqual(["/", "/daftar"]);
  await page.goBack();
  await expect(page.locator("h1")).toHaveText("IKD Web");

  await context.setOffline(true);
  await page.goto("/verifikasi");
  await expect(page.locator("h1")).toHaveText("Verifikasi QR");
  await page.getByRole("link", { name: "Kembali" }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.locator("h1")).toHaveText("IKD Web");
  await page.goto("/daftar");
  await expect(page.locator("h1")).toHaveText("Daftar KTP Digital");
  // A page from a chunk, never opened before, opens offline from the worker's cache.
  await page.goto("/masuk");
  await expect(page.locator("h1")).toHaveText("Masuk");
  await context.setOffline(false);
});

test("the service worker is registered only once the first screen is usable", async ({ page }) => {
  await page.addInitScript(() => {
    const order: string[] = [];
    (window as unknown as { __order: string[] }).__order = order;
    const register = navigator.serviceWorker.register.bind(navigator.serviceWorker);
    navigator.serviceWorker.register = (url: string | URL, options?: RegistrationOptions) => {
      order.push(document.body.classList.contains("app-ready") ? "register after ready" : "register before ready");
      return register(url, options);
    };
  });
  await page.goto("/");
  await page.evaluate(() => navigator.serviceWorker.ready);
  expect(await page.evaluate(() => (window as unknown as { __order: string[] }).__order)).toEqual(["register after ready"]);
});

test("with Save-Data on, the worker keeps the open page's bundle only, and another bundle once it is opened", async ({
  page,
  context,
}) => {
  const cdp = await context.newCDPSession(page);
  await cdp.send("Emulation.setDataSaverOverride", { dataSaverEnabled: true });
  const cachedFiles = () =>
    page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      const shell = (await caches.keys()).find((n) => n.startsWith("ikd-shell-")) ?? "";
      return (await (await caches.open(shell)).keys()).map((r) => new URL(r.url).pathname);
    });
  await page.goto("/");
  await expect(page.getByTestId("health")).toHaveAttribute("data-status", "ok");
  let cached = await cachedFiles();
  expect(cached).toContain("/index.html");
  expect(cached.some((u) => /^\/ikd-web-[0-9a-f]+_bg\.wasm$/.test(u))).toBe(true);
  expect(cached.filter((u) => /daftar|verifikasi/.test(u))).toEqual([]);

  // Opened once online, the verifier is kept and then opens offline.
  await page.goto("/verifikasi");
  await expect(page.locator("h1")).toHaveText("Verifikasi QR");
  await expect.poll(async () => (await cachedFiles()).filter((u) => /verifikasi/.test(u)).length).toBeGreaterThanOrEqual(3);
  cached = await cachedFiles();
  expect(cached.filter((u) => /daftar/.test(u))).toEqual([]);
  await context.setOffline(true);
  await page.goto("/verifikasi");
  await expect(page.locator("h1")).toHaveText("Verifikasi QR");
  await context.setOffline(false);
});

test("a page whose wasm chunk cannot be fetched says so, and opens once the network is back", async ({
  page,
  context,
}) => {
  // With Save-Data the worker keeps only the open page's files: the login page's chunk is not
  // on the phone yet when the signal drops.
  const cdp = await context.newCDPSession(page);
  await cdp.send("Emulation.setDataSaverOverride", { dataSaverEnabled: true });
  await page.goto("/");
  await expect(page.getByTestId("health")).toHaveAttribute("data-status", "ok");
  await page.evaluate(() => navigator.serviceWorker.ready);
  await context.setOffline(true);
  await page.getByRole("link", { name: "Masuk", exact: true }).click();
  await expect(page.getByTestId("chunk-unavailable")).toContainText("belum tersimpan di perangkat ini");
  await expect(page.locator("h1")).toHaveText("Belum tersedia");
  await checkAccessibility(page, "chunk unavailable");
  // The app still runs: Back returns to the welcome, and a second try fetches anew (a failed
  // fetch is not remembered).
  await page.getByRole("link", { name: "Kembali" }).click();
  await expect(page.locator("h1")).toHaveText("IKD Web");
  await page.getByRole("link", { name: "Masuk", exact: true }).click();
  await expect(page.getByTestId("chunk-unavailable")).toBeVisible();
  await context.setOffline(false);
  await page.getByRole("button", { name: "Coba lagi" }).click();
  await expect(page.locator("h1")).toHaveText("Masuk");
});

test("once installed, the app shell opens with no network", async ({ page, context }) => {
  await page.goto("/");
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await context.setOffline(true);
  await page.reload();
  await expect(page.locator("h1")).toHaveText("IKD Web");
  // The wasm app runs offline and says plainly that the service cannot be reached.
  await expect(page.getByTestId("health")).toHaveAttribute("data-status", "error");
  await expect(page.getByTestId("health")).toContainText("Tidak dapat menghubungi layanan");
  await context.setOffline(false);
});

test("Chrome reports zero installability errors", async ({ baseURL }) => {
  // A normal (persistent) profile: Chrome never offers installation in incognito, which is
  // what Playwright's default contexts are.
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "ikd-install-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--disable-sync"],
    viewport: { width: 360, height: 740 },
    baseURL,
  });
  const page = await context.newPage();
  await page.goto("/");
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await page.reload();
  const cdp = await context.newCDPSession(page);
  const { installabilityErrors } = await cdp.send("Page.getInstallabilityErrors");
  expect(installabilityErrors).toEqual([]);
  await context.close();
  fs.rmSync(profile, { recursive: true, force: true });
});

test("the pages a visitor reaches without an account are accessible and fit the phone", async ({ page }) => {
  for (const [href, name] of [
    ["/", "home"], ["/daftar", "daftar"], ["/aktivasi", "aktivasi"], ["/masuk", "masuk"],
    ["/lupa-sandi", "lupa-sandi"], ["/verifikasi", "verifikasi"], ["/ktp", "ktp-terkunci"],
  ]) {
    await page.goto(href);
    await expect(page.locator("h1")).toBeVisible();
    await checkAccessibility(page, href);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow, `horizontal overflow on ${href}`).toBe(0);
    await page.screenshot({ path: screenshot(`page-${name}-360x740.png`), fullPage: true });
  }
});

test("the language switch turns the app to English and back", async ({ page }) => {
  await page.goto("/");
  await page.getByRole("button", { name: "English" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByRole("link", { name: "Log in" })).toBeVisible();
  // The choice is remembered, and `<html lang>` follows it again after a reload.
  await page.reload();
  await expect(page.getByRole("link", { name: "Log in" })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await page.getByRole("button", { name: "Bahasa Indonesia" }).click();
  await expect(page.getByRole("link", { name: "Masuk" })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "id");
});
