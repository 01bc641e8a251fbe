// Playwright drives Debian's Chromium (/usr/bin/chromium); it never downloads a browser.
// `cargo xtask test` starts `ikd serve` on a free port with a temporary database and passes
// its address in IKD_BASE_URL.
import { defineConfig } from "@playwright/test";

const baseURL = process.env.IKD_BASE_URL;
if (!baseURL) {
  throw new Error("IKD_BASE_URL is not set: run the end-to-end tests with `cargo xtask test`");
}

export default defineConfig({
  testDir: ".",
  outputDir: "../target/e2e/results",
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: true,
  reporter: [["list"]],
  use: {
    baseURL,
    // A cheap phone: 360×740 CSS pixels, touch, Indonesian locale.
    viewport: { width: 360, height: 740 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: "id-ID",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
});
