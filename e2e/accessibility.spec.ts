// Every screen and state of the citizen app through axe-core, in Bahasa Indonesia and in
// English, at phone size: zero serious or critical findings; the moderate ones are listed in
// the output (support/axe.ts). The screens the other specs pass through are here again on
// purpose, so one file says what is covered: the unlock screen, the wipe after five wrong PINs,
// the reset with a link's token, the invalid verdict, the camera views, and everything behind
// the PIN. The record's field names and the QR's text alternative are checked in each language.
import { type Browser, type Page, chromium, expect, test } from "@playwright/test";
import { checkAccessibility } from "./support/axe";
import { PIN, activateUpToPin, approvedCitizen, setPin } from "./support/citizen_app";

const baseURL = process.env.IKD_BASE_URL ?? "";
const LANGUAGES = [
  { code: "id", unlock: "Buka", wrongPin: "PIN salah", wiped: "telah dihapus", verify: "Periksa", scan: "Pindai QR", invalid: "TIDAK SAH", selfie: "Buka kamera depan",
    fields: { "/ktp": "Tempat/Tgl Lahir", "/kk": "Hubungan", "/biodata": "Tanggal lahir", "/dokumen": "Kendaraan" }, qr: "QR KTP digital berisi data lengkap" },
  { code: "en", unlock: "Unlock", wrongPin: "Wrong PIN", wiped: "has been wiped", verify: "Check", scan: "Scan QR", invalid: "NOT VALID", selfie: "Open front camera",
    fields: { "/ktp": "Place/date of birth", "/kk": "Relationship", "/biodata": "Date of birth", "/dokumen": "Vehicles" }, qr: "Digital KTP QR with full data" },
] as const;

/** A phone-sized context whose remembered language is `code` from the first page on. */
async function phoneIn(browser: Browser, code: string, extra: object = {}) {
  const context = await browser.newContext({
    baseURL, viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: "id-ID", ...extra,
  });
  await context.addInitScript((lang) => localStorage.setItem("ikd-lang", lang), code);
  return context;
}

async function expectLang(page: Page, code: string) {
  await expect(page.locator("html")).toHaveAttribute("lang", code);
}

for (const lang of LANGUAGES) {
  test(`every screen of a citizen with a KTP on the phone, then the wipe, is accessible (${lang.code})`, async ({ browser }) => {
    test.setTimeout(240_000);
    const context = await phoneIn(browser, lang.code);
    const page = await context.newPage();
    const { citizen, code } = await approvedCitizen(page);
    // Activation's own labels are matched in Indonesian by the helper.
    await context.addInitScript(() => localStorage.setItem("ikd-lang", "id"));
    await activateUpToPin(page, citizen, code);
    await setPin(page);
    await context.addInitScript((l) => localStorage.setItem("ikd-lang", l), lang.code);

    await page.goto("/");
    await expect(page).toHaveURL(/\/buka$/);
    await expectLang(page, lang.code);
    await checkAccessibility(page, `/buka (${lang.code})`);
    await page.getByLabel("PIN", { exact: true }).fill(PIN);
    await page.getByRole("button", { name: lang.unlock, exact: true }).click();
    await expect(page.locator(".menu")).toBeVisible();
    await checkAccessibility(page, `home unlocked (${lang.code})`);

    // In-app navigation keeps the copy open (a reload would lock it again).
    for (const path of ["/ktp", "/kk", "/dokumen", "/qr", "/biodata", "/riwayat", "/pengaturan", "/persetujuan", "/akun", "/akun/cetak", "/akun/tutup", "/pindah-ponsel", "/siapa"]) {
      await page.evaluate((to) => {
        history.pushState(null, "", to);
        dispatchEvent(new PopStateEvent("popstate"));
      }, path);
      await expect(page).toHaveURL(new RegExp(`${path.replace("/", "\\/")}$`));
      await expect(page.locator("h1").first()).toBeVisible();
      await checkAccessibility(page, `${path} (${lang.code})`);
      // The record's field names in the chosen language; its values stay as the registry
      // writes them, marked as Indonesian for a screen reader.
      const field = lang.fields[path as keyof typeof lang.fields];
      if (field) await expect(page.locator("main")).toContainText(field);
      if (path === "/ktp" || path === "/biodata") {
        await expect(page.locator('main dd[lang="id"]').first()).toBeVisible();
      }
      if (path === "/qr") await expect(page.getByRole("img", { name: new RegExp(`^${lang.qr}`) })).toBeVisible();
    }

    // Five wrong PINs: the wipe screen, which says how to come back.
    await page.goto("/buka");
    for (let n = 0; n < 5; n++) {
      await page.getByLabel("PIN", { exact: true }).fill("000000");
      await page.getByRole("button", { name: lang.unlock, exact: true }).click();
      if (n < 4) await expect(page.getByRole("alert")).toContainText(lang.wrongPin);
    }
    await expect(page.locator(".wiped")).toContainText(lang.wiped);
    await checkAccessibility(page, `the wipe (${lang.code})`);
    await context.close();
  });

  test(`the screens without an account, the reset link and an invalid verdict are accessible (${lang.code})`, async ({ browser }) => {
    const context = await phoneIn(browser, lang.code);
    const page = await context.newPage();
    for (const path of ["/", "/masuk", "/aktivasi", "/daftar", "/lupa-sandi", "/ponsel-hilang", "/verifikasi"]) {
      await page.goto(path);
      await expectLang(page, lang.code);
      await expect(page.locator("h1").first()).toBeVisible();
      await checkAccessibility(page, `${path} (${lang.code})`);
    }
    // The reset link from the mail carries its token after '#'.
    await page.goto("/lupa-sandi#token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
    await expect(page).toHaveURL(/\/lupa-sandi$/);
    await expect(page.locator('input[type="password"]').first()).toBeVisible();
    await checkAccessibility(page, `/lupa-sandi with a token (${lang.code})`);

    await page.goto("/verifikasi");
    await page.locator("textarea").fill("HC1:NOT-A-QR");
    await page.getByRole("button", { name: lang.verify, exact: true }).click();
    await expect(page.getByTestId("verdict")).toContainText(lang.invalid);
    await checkAccessibility(page, `an invalid verdict (${lang.code})`);
    await context.close();
  });

  test(`the camera views are accessible (${lang.code})`, async () => {
    const browser = await chromium.launch({
      executablePath: "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream"],
    });
    const context = await phoneIn(browser, lang.code, { permissions: ["camera"] });
    const page = await context.newPage();
    await page.goto("/verifikasi");
    await page.getByRole("button", { name: lang.scan, exact: true }).click();
    await expect(page.locator("video")).toBeVisible();
    await checkAccessibility(page, `the verifier's camera (${lang.code})`);
    await page.goto("/daftar");
    await page.getByRole("button", { name: lang.selfie }).click();
    await expect(page.locator("video").first()).toBeVisible();
    await checkAccessibility(page, `the registration's camera (${lang.code})`);
    await browser.close();
  });
}
