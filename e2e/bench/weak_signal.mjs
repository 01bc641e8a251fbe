// The weak-signal benchmark (`cargo xtask bench web`): each page of the citizen app opened by a
// cheap phone on a poor connection, the 2017 "$200 Android on 400 Kbps with 400 ms round trips"
// baseline. Headless Chromium through the DevTools Protocol: 400 Kbps down and up, 400 ms of
// latency, the CPU slowed 4×. Cold is a fresh profile; warm is the same profile opening the page
// again once the service worker controls it. A benchmark prints figures; it never fails on them.
//
// For each page and run it prints the bytes that crossed the wire for the page itself (not the
// service worker's background precache, which the person does not wait for), the first paint
// of the static shell and the moment the app is usable (body.app-ready), both from the start of
// navigation, then one JSON line per page for scripts.
import { chromium } from "playwright-core";

const base = process.env.IKD_BASE_URL;
if (!base) throw new Error("IKD_BASE_URL is not set: run it with `cargo xtask bench web`");
const pages = process.argv.slice(2).length ? process.argv.slice(2) : ["/", "/daftar", "/verifikasi"];

const CONDITIONS = { latency: 400, downloadThroughput: 400_000 / 8, uploadThroughput: 400_000 / 8 };
const CPU_SLOWDOWN = 4;
const GOALS = { shellPaintMs: 1200, usableColdMs: 5000, usableWarmMs: 500 };

// Runs in the page before any of its scripts: note when the app marks itself usable.
const RECORD_READY = () => {
  const mark = () => {
    if (document.body && document.body.classList.contains("app-ready") && !window.__ikdReadyAt) {
      window.__ikdReadyAt = performance.now();
    }
  };
  new MutationObserver(mark).observe(document, { subtree: true, attributes: true, attributeFilter: ["class"] });
};

async function throttled(context, page) {
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", { offline: false, ...CONDITIONS });
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: CPU_SLOWDOWN });
  const wire = { bytes: 0, requests: 0 };
  cdp.on("Network.loadingFinished", (e) => {
    wire.bytes += e.encodedDataLength;
    wire.requests += 1;
  });
  return wire;
}

async function open(page, path) {
  await page.goto(base + path, { waitUntil: "commit" });
  await page.waitForFunction(() => window.__ikdReadyAt !== undefined, null, { timeout: 120_000, polling: 50 });
  return page.evaluate(() => {
    const paint = performance.getEntriesByName("first-contentful-paint")[0];
    return { shellPaintMs: paint ? Math.round(paint.startTime) : null, usableMs: Math.round(window.__ikdReadyAt) };
  });
}

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run"],
});
const kb = (n) => (n / 1000).toFixed(1);
const verdict = (value, goal) => (value !== null && value <= goal ? "ok" : `over ${goal} ms`);
console.log(`400 Kbps, ${CONDITIONS.latency} ms RTT, CPU ${CPU_SLOWDOWN}× slower; goals: shell ≤ ${GOALS.shellPaintMs} ms, usable ≤ ${GOALS.usableColdMs} ms cold, ≤ ${GOALS.usableWarmMs} ms warm`);
for (const path of pages) {
  const context = await browser.newContext({
    viewport: { width: 360, height: 740 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: "id-ID",
  });
  await context.addInitScript(RECORD_READY);
  const page = await context.newPage();
  const coldWire = await throttled(context, page);
  const cold = await open(page, path);
  // Warm: the service worker installed and controlling, then the page opened again.
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((resolve) => navigator.serviceWorker.addEventListener("controllerchange", resolve, { once: true }));
    }
  });
  const warmPage = await context.newPage();
  await page.close();
  const warmWire = await throttled(context, warmPage);
  const warm = await open(warmPage, path);
  console.log(
    `${path.padEnd(12)} cold: ${kb(coldWire.bytes).padStart(7)} KB in ${coldWire.requests} requests, shell ${cold.shellPaintMs} ms (${verdict(cold.shellPaintMs, GOALS.shellPaintMs)}), usable ${cold.usableMs} ms (${verdict(cold.usableMs, GOALS.usableColdMs)})`,
  );
  console.log(
    `${"".padEnd(12)} warm: ${kb(warmWire.bytes).padStart(7)} KB in ${warmWire.requests} requests, usable ${warm.usableMs} ms (${verdict(warm.usableMs, GOALS.usableWarmMs)})`,
  );
  console.log(JSON.stringify({ page: path, cold: { bytes: coldWire.bytes, ...cold }, warm: { bytes: warmWire.bytes, ...warm } }));
  await context.close();
}
await browser.close();
