// Benchmarks, not tests: they print numbers and check nothing beyond getting there. Run with
// `node_modules/.bin/playwright test --config e2e/bench/playwright.bench.config.ts` against a
// running `ikd serve` (IKD_BASE_URL, IKD_E2E_DATA_DIR, IKD_BIN as for the e2e specs).
import { defineConfig } from "@playwright/test";
import base from "../playwright.config";

export default defineConfig({
  ...base,
  testDir: ".",
  testMatch: /.*\.bench\.ts$/,
  outputDir: "../../target/e2e/bench-results",
  timeout: 300_000,
});
