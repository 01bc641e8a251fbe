// The citizen journey by keyboard alone, at phone size: activation, the PIN, the menu, the
// KTP, the QR's contents switched, back home, and unlocking after a reload. Only Tab,
// Shift+Tab, typing and Enter; every stop must show a focus ring. (The
// registration before it is done at an officer's desk through the API, as in the other specs;
// its own screen is checked by axe in accessibility.spec.ts.)
import { type Locator, type Page, expect, test } from "@playwright/test";
import { PASSWORD, PIN, approvedCitizen } from "./support/citizen_app";

const baseURL = process.env.IKD_BASE_URL ?? "";

/** Presses Tab until `target` has the focus (at most 40 times), and checks it is visibly focused. */
async function tabTo(page: Page, target: Locator) {
  await expect(target).toBeVisible();
  for (let n = 0; n < 40; n++) {
    if (await target.evaluate((el) => el === document.activeElement)) {
      const ring = await target.evaluate((el) => {
        const style = getComputedStyle(el);
        return { outline: style.outlineStyle, width: style.outlineWidth, shadow: style.boxShadow };
      });
      const visible = (ring.outline !== "none" && ring.width !== "0px") || ring.shadow !== "none";
      expect(visible, `focus ring on ${await target.evaluate((el) => el.outerHTML.slice(0, 80))}`).toBe(true);
      return;
    }
    await page.keyboard.press("Tab");
  }
  throw new Error(`Tab never reached ${target}`);
}

async function typeInto(page: Page, target: Locator, text: string) {
  await tabTo(page, target);
  await page.keyboard.type(text);
}

test("a citizen activates, sets a PIN, opens the KTP and shows the QR by keyboard alone", async ({ browser }) => {
  test.setTimeout(180_000);
  const context = await browser.newContext({
    baseURL, viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, locale: "id-ID",
  });
  const page = await context.newPage();
  const { citizen, code } = await approvedCitizen(page);

  await page.goto("/aktivasi");
  await typeInto(page, page.getByLabel("NIK"), citizen.nik);
  await typeInto(page, page.getByLabel("Kode aktivasi (dari email)"), code);
  await typeInto(page, page.getByLabel("Kata sandi baru"), PASSWORD);
  await typeInto(page, page.getByLabel("Ulangi kata sandi"), PASSWORD);
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/pin\/baru$/, { timeout: 60_000 });

  await typeInto(page, page.getByLabel("PIN", { exact: true }), PIN);
  await typeInto(page, page.getByLabel("Ulangi PIN"), PIN);
  await page.keyboard.press("Enter");
  await expect(page.locator(".menu")).toBeVisible({ timeout: 30_000 });

  // The menu's KTP tile, then back by the title bar's arrow.
  await tabTo(page, page.locator(".menu").getByRole("link", { name: "KTP", exact: true }));
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("ktp-nik")).toHaveText(citizen.nik);
  await tabTo(page, page.getByRole("link", { name: "Kembali" }));
  await page.keyboard.press("Enter");
  await expect(page.locator(".menu")).toBeVisible();

  // The QR: the "Dasar" contents, then back to the full one; the figure's text alternative
  // says which.
  await tabTo(page, page.locator(".menu").getByRole("link", { name: "QR", exact: true }));
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("qr")).toBeVisible({ timeout: 30_000 });
  await tabTo(page, page.getByRole("button", { name: "Dasar", exact: true }));
  await page.keyboard.press("Enter");
  await expect(page.getByRole("button", { name: "Dasar", exact: true })).toHaveAttribute("aria-pressed", "true");
  await expect(page.getByRole("img", { name: /QR KTP digital berisi data dasar/ })).toBeVisible();
  await page.keyboard.press("Shift+Tab");
  await expect(page.getByRole("button", { name: "Lengkap", exact: true })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("img", { name: /QR KTP digital berisi data lengkap\. / })).toBeVisible();

  // Closed and opened again: the unlock screen by keyboard.
  await page.goto("/");
  await expect(page).toHaveURL(/\/buka$/, { timeout: 15_000 });
  await typeInto(page, page.getByLabel("PIN", { exact: true }), PIN);
  await page.keyboard.press("Enter");
  await expect(page.locator(".menu")).toBeVisible({ timeout: 15_000 });
  await context.close();
});
