// Issue 13, the citizen's side, in real Chromium at phone size: what a person found confusing
// or broken on the screens, one test per finding (each fails on the code before the fix), with
// screenshots of the fixed screens in target/e2e/screenshots/ux-*.png and overflow checks at
// 320 and 360 px.
import path from "node:path";
import {
  type Browser,
  type BrowserContext,
  type Page,
  chromium,
  expect,
  request as playwrightRequest,
  test,
} from "@playwright/test";
import { register, selfieJpegBase64, solvedCaptcha } from "./support/citizen_api";
import {
  type Citizen,
  PASSWORD,
  PIN,
  activateUpToPin,
  approvedCitizen,
  decide,
  deskToken,
  demoCitizen,
  officerWithDesk,
  openHome,
  setPin,
} from "./support/citizen_app";

const baseURL = process.env.IKD_BASE_URL ?? "";
const shots = path.resolve(__dirname, "..", "target", "e2e", "screenshots");
const shot = (page: Page, name: string) => page.screenshot({ path: path.join(shots, `ux-${name}.png`), fullPage: true });

/** A browser whose camera is Chromium's fake device, for the selfie. */
async function cameraBrowser(): Promise<{ browser: Browser; context: BrowserContext; page: Page }> {
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: [
      "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
      "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
    ],
  });
  const context = await browser.newContext({
    baseURL, viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
    locale: "id-ID", permissions: ["camera"],
  });
  return { browser, context, page: await context.newPage() };
}

/** Fills the registration form like a person, the desk code typed. */
async function fillRegistration(page: Page, citizen: Citizen, shortCode: string) {
  await page.getByLabel("NIK").fill(citizen.nik);
  await page.getByLabel("Email").fill(citizen.email);
  await page.getByLabel("Nomor HP").fill(citizen.phone);
  await page.getByRole("button", { name: "Buka kamera depan" }).click();
  await page.waitForFunction(() => ((document.querySelector("video") as HTMLVideoElement | null)?.videoWidth ?? 0) > 0);
  await page.getByRole("button", { name: "Ambil swafoto" }).click();
  await expect(page.locator("img.selfie-preview")).toBeVisible();
  await page.getByLabel(/atau ketik kode loket/).fill(shortCode);
}

/** Elements reaching past the viewport's right edge, outside any sideways-scrolling box. */
async function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const clipped = (el: Element): boolean => {
      for (let p = el.parentElement; p; p = p.parentElement) {
        const o = getComputedStyle(p).overflowX;
        if (o === "auto" || o === "scroll" || o === "hidden") return true;
      }
      return false;
    };
    const out: string[] = [];
    if (document.documentElement.scrollWidth > width) out.push(`page scrollWidth ${document.documentElement.scrollWidth} > ${width}`);
    for (const el of Array.from(document.body.querySelectorAll("*"))) {
      const r = el.getBoundingClientRect();
      if (r.width <= 1 || getComputedStyle(el).visibility === "hidden" || el.closest("#shell")) continue;
      if ((r.right > width + 0.5 || r.left < -0.5) && !clipped(el)) {
        out.push(`${el.tagName.toLowerCase()}.${el.className} ${Math.round(r.left)}..${Math.round(r.right)}`);
      }
    }
    return out;
  });
}

/** How many lines a text element's content takes. */
async function lines(page: Page, selector: string): Promise<number> {
  return page.locator(selector).first().evaluate((el) => {
    const range = document.createRange();
    range.selectNodeContents(el);
    const tops = new Set(Array.from(range.getClientRects()).filter((r) => r.width > 0).map((r) => Math.round(r.top)));
    return tops.size;
  });
}

test("(1) the app closed on 'Buat PIN' reopens at the PIN step; /pin/baru without a session goes to Masuk", async ({ page, context }) => {
  test.setTimeout(120_000);
  await page.goto("/pin/baru");
  await expect(page).toHaveURL(/\/masuk$/);

  const { citizen, code } = await approvedCitizen(page);
  await activateUpToPin(page, citizen, code);
  // The person closes the app here and opens it again later.
  await page.close();
  const again = await context.newPage();
  await again.goto("/");
  await expect(again).toHaveURL(/\/pin\/baru$/, { timeout: 30_000 });
  await expect(again.locator("h1")).toHaveText("Buat PIN");
  await shot(again, "01-resume-pin");
  await setPin(again);
  await expect(again.locator(".greeting")).not.toHaveText("Halo, ");
});

test("(2) a sent registration is followed on the page: waiting, approved, the NIK filled in at activation; rejected with the reason", async () => {
  test.setTimeout(150_000);
  const { browser, page } = await cameraBrowser();
  const { officer, desk } = await officerWithDesk();
  const citizen = demoCitizen();
  await page.goto("/daftar");
  await fillRegistration(page, citizen, (await deskToken(officer, desk)).shortCode);
  await page.getByRole("button", { name: "Kirim pendaftaran" }).click();
  const status = page.getByTestId("registration-status");
  await expect(status).toHaveAttribute("data-status", "pending", { timeout: 30_000 });
  await expect(status).toContainText("Pendaftaran terkirim");

  // Reopened later: the same state, not an empty form.
  await page.goto("/daftar");
  await expect(status).toHaveAttribute("data-status", "pending");
  await expect(page.getByLabel("Email")).toHaveCount(0);
  const stored = await page.evaluate(() => localStorage.getItem("ikd-registration") ?? "");
  expect(stored).toContain(citizen.nik);
  expect(stored).not.toContain(citizen.email);
  await shot(page, "02-registration-waiting");

  // The desk approves: the open page learns it by itself.
  const queue = await (await officer.get(`/api/desks/${desk}/queue`)).json();
  const mine = queue.find((q: { nik: string }) => q.nik === citizen.nik);
  await decide(officer, mine.registrationId, true);
  await expect(status).toHaveAttribute("data-status", "approved", { timeout: 25_000 });
  await expect(status).toContainText("Cek email Anda untuk kode aktivasi");
  await shot(page, "02-registration-approved");
  await page.getByRole("link", { name: "Saya sudah menerima kode aktivasi" }).click();
  await expect(page).toHaveURL(/\/aktivasi$/);
  await expect(page.getByLabel("NIK")).toHaveValue(citizen.nik);

  // Another registration on this phone, rejected with a reason; focus asks again at once.
  const other = demoCitizen();
  const otherPhone = await playwrightRequest.newContext({ baseURL });
  const id = await register(otherPhone, other, (await deskToken(officer, desk)).qrText, await selfieJpegBase64(page));
  await page.evaluate(([id, nik]) => localStorage.setItem("ikd-registration", `1|${id}|${nik}|pending`), [id, other.nik]);
  await page.goto("/daftar");
  await expect(status).toHaveAttribute("data-status", "pending");
  await decide(officer, id, false, "Foto wajah tidak jelas");
  await page.evaluate(() => window.dispatchEvent(new Event("focus")));
  await expect(status).toHaveAttribute("data-status", "rejected", { timeout: 15_000 });
  await expect(page.getByTestId("rejection-reason")).toContainText("Foto wajah tidak jelas");
  await shot(page, "02-registration-rejected");
  await page.getByRole("button", { name: "Daftar ulang" }).click();
  await expect(page.getByLabel("Email")).toBeVisible();
  expect(await page.evaluate(() => localStorage.getItem("ikd-registration"))).toBeNull();
  await browser.close();
});

test("(3) a NIK whose account is active is refused at registration with the ways on: Masuk, Lupa kata sandi", async () => {
  test.setTimeout(150_000);
  const { browser, page } = await cameraBrowser();
  const { citizen, code } = await approvedCitizen(page);
  const phone = await playwrightRequest.newContext({ baseURL });
  const activation = await phone.post("/api/activation", {
    data: { nik: citizen.nik, code, password: PASSWORD, deviceId: "web-ux-old-phone-01", captcha: await solvedCaptcha(phone) },
  });
  expect(activation.status()).toBe(200);

  const { officer, desk } = await officerWithDesk();
  await page.goto("/daftar");
  await fillRegistration(page, citizen, (await deskToken(officer, desk)).shortCode);
  await page.getByRole("button", { name: "Kirim pendaftaran" }).click();
  const ways = page.getByTestId("account-exists");
  await expect(ways).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText("sudah punya akun KTP digital").first()).toBeVisible();
  await expect(ways.getByRole("link", { name: "Masuk" })).toHaveAttribute("href", "/masuk");
  await expect(ways.getByRole("link", { name: "Lupa kata sandi?" })).toHaveAttribute("href", "/lupa-sandi");
  await shot(page, "03-account-exists");
  await browser.close();
});

test("(7) the landing page says only whether the service is available", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByTestId("health")).toHaveText("Layanan tersedia");
  const text = await page.locator("body").innerText();
  for (const detail of ["SQLite", "PostgreSQL", "skema", "kid"]) expect(text).not.toContain(detail);
  await shot(page, "07-landing");
});

test("(9) registration shows every field's problem at once, next to the field, and sends nothing", async ({ page }) => {
  const sent: string[] = [];
  page.on("request", (r) => { if (r.url().includes("/api/")) sent.push(new URL(r.url()).pathname); });
  await page.goto("/daftar");
  await page.getByLabel("NIK").fill("1234");
  await page.getByLabel("Email").fill("bukan-email");
  await page.getByLabel("Nomor HP").fill("12");
  const before = sent.length;
  await page.getByRole("button", { name: "Kirim pendaftaran" }).click();
  await expect(page.locator("#nik-hint")).toContainText("16 angka");
  await expect(page.locator("#email-error")).toContainText("email tidak sah");
  await expect(page.locator("#phone-error")).toContainText("Nomor HP");
  await expect(page.locator("#selfie-error")).toContainText("swafoto");
  await expect(page.locator("#desk-error")).toContainText("kode");
  await expect(page.getByLabel("NIK")).toBeFocused();
  expect(sent.slice(before)).toEqual([]);
  await shot(page, "09-register-errors");
});

test("(10) a weak password at activation is said once and not sent", async ({ page }) => {
  const sent: string[] = [];
  page.on("request", (r) => { if (r.url().includes("/api/")) sent.push(new URL(r.url()).pathname); });
  await page.goto("/aktivasi");
  await page.getByLabel("NIK").fill("3276014501900001");
  await page.getByLabel("Kode aktivasi (dari email)").fill("ABCD1234");
  await page.getByLabel("Kata sandi baru").fill("pendek");
  await page.getByLabel("Ulangi kata sandi").fill("pendek");
  await page.getByRole("button", { name: "Aktifkan" }).click();
  await expect(page.getByText("Kata sandi minimal 8 karakter")).toHaveCount(1);
  await expect(page.getByLabel("Kata sandi baru")).toHaveAttribute("aria-invalid", "true");
  await page.waitForTimeout(500);
  expect(sent.filter((p) => p === "/api/activation" || p === "/api/captcha")).toEqual([]);
  await shot(page, "10-weak-password");
});

test("(11) the desk code hint says letters or digits", async ({ page }) => {
  await page.goto("/daftar");
  await expect(page.locator('label[for="desk-code"]')).toHaveText("atau ketik kode loket (6 huruf/angka)");
});

test.describe.serial("with a digital KTP on the phone", () => {
  let context: BrowserContext;
  let page: Page;
  let citizen: Citizen;

  test.beforeAll(async ({ browser }) => {
    test.setTimeout(120_000);
    context = await browser.newContext({
      baseURL, viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: "id-ID",
    });
    page = await context.newPage();
    const approved = await approvedCitizen(page);
    citizen = approved.citizen;
    await activateUpToPin(page, citizen, approved.code);
    await setPin(page);
  });

  test.afterAll(async () => {
    await context.close();
  });

  test("(4) numbers stay on one line and nothing overflows at 320 and 360 px: home, KTP, Biodata, KK, verifier", async () => {
    test.setTimeout(90_000);
    for (const width of [320, 360]) {
      await page.setViewportSize({ width, height: 740 });
      await openHome(page);
      expect(await overflowing(page), `home at ${width}`).toEqual([]);
      await shot(page, `04-home-${width}`);

      await page.locator('a[href="/ktp"]').click();
      await expect(page.getByTestId("ktp-nik")).toHaveText(citizen.nik);
      expect(await lines(page, '[data-testid="ktp-nik"]'), `KTP NIK at ${width}`).toBe(1);
      expect(await overflowing(page), `KTP at ${width}`).toEqual([]);
      await shot(page, `04-ktp-${width}`);
      await page.locator("a.back").click();

      await page.locator('a[href="/biodata"]').click();
      await expect(page.locator(".biodata dd.num").first()).toHaveText(citizen.nik);
      for (let n = 0; n < 2; n++) {
        expect(await page.locator(".biodata dd.num").nth(n).evaluate((el) => {
          const range = document.createRange();
          range.selectNodeContents(el);
          return new Set(Array.from(range.getClientRects()).map((r) => Math.round(r.top))).size;
        }), `Biodata number ${n} at ${width}`).toBe(1);
      }
      expect(await overflowing(page), `Biodata at ${width}`).toEqual([]);
      await shot(page, `04-biodata-${width}`);
      await page.locator("a.back").click();

      await page.locator('a[href="/kk"]').click();
      await expect(page.getByTestId("kk-number")).toHaveText(/^\d{16}$/);
      expect(await lines(page, '[data-testid="kk-number"]'), `KK number at ${width}`).toBe(1);
      const table = page.locator(".table-scroll");
      expect(await table.evaluate((el) => el.scrollWidth > el.clientWidth), "the KK table scrolls sideways").toBe(true);
      await expect(page.getByTestId("kk-scroll-hint")).toBeVisible();
      expect(await overflowing(page), `KK at ${width}`).toEqual([]);
      await shot(page, `04-kk-${width}`);
      await page.locator("a.back").click();

      // A QR the phone makes now: its holder proof is fresh for 90 s only.
      await page.locator('a[href="/qr"]').click();
      const qrText = (await page.getByTestId("qr").getAttribute("data-qr-text")) ?? "";
      expect(qrText.length).toBeGreaterThan(100);
      await page.goto("/verifikasi");
      await page.getByLabel("atau tempel teks QR").fill(qrText);
      await page.getByRole("button", { name: "Periksa" }).click();
      await expect(page.getByTestId("verdict")).toHaveAttribute("data-valid", "true");
      await expect(page.getByTestId("verdict")).toHaveAttribute("data-state", "valid");
      await expect(page.getByTestId("verdict-freshness")).toContainText(/Segar, ditampilkan \d+ detik lalu/);
      expect(await lines(page, '[data-testid="verdict-nik"]'), `verifier NIK at ${width}`).toBe(1);
      expect(await overflowing(page), `verifier at ${width}`).toEqual([]);
      await shot(page, `04-verifier-${width}`);
    }
    await page.setViewportSize({ width: 360, height: 740 });
  });

  test("(5) the home menu's icons are drawn SVG, not emoji, and every tile is as tall as the others", async () => {
    await openHome(page);
    const tiles = await page.locator(".menu-item").count();
    expect(tiles).toBeGreaterThanOrEqual(7);
    await expect(page.locator(".menu-icon svg")).toHaveCount(tiles);
    const text = await page.locator(".menu").innerText();
    expect(text).not.toMatch(/\p{Extended_Pictographic}|▦/u);
    const heights = await page.locator(".menu-item").evaluateAll((items) => items.map((i) => Math.round(i.getBoundingClientRect().height)));
    expect(new Set(heights).size, `tile heights ${heights}`).toBe(1);
    await shot(page, "05-menu");
  });

  test("(6) the verifier prints the birth date as a date", async () => {
    await openHome(page);
    await page.locator('a[href="/qr"]').click();
    const qrText = (await page.getByTestId("qr").getAttribute("data-qr-text")) ?? "";
    await page.goto("/verifikasi");
    await page.getByLabel("atau tempel teks QR").fill(qrText);
    await page.getByRole("button", { name: "Periksa" }).click();
    await expect(page.getByTestId("verdict-birth-date")).toHaveText(/^\d{2}-\d{2}-\d{4}$/);
    await shot(page, "06-verifier-date");
  });

  test("(7) the KTP and the KK print on A4, marked as demo data, without the app's frame", async () => {
    for (const [tile, card] of [["/ktp", ".ktp"], ["/kk", ".kk"]]) {
      await openHome(page);
      await page.locator(`a[href="${tile}"]`).click();
      await expect(page.locator(card)).toBeVisible();
      // On screen the demo note says it; the paper mark is for paper only.
      await expect(page.getByTestId("print-demo-mark")).toBeHidden();
      await page.emulateMedia({ media: "print" });
      await expect(page.getByTestId("print-demo-mark")).toBeVisible();
      await expect(page.getByTestId("print-demo-mark")).toContainText("BUKAN DOKUMEN RESMI");
      await expect(page.locator("header.topbar")).toBeHidden();
      const watermark = await page.locator(card).evaluate((el) => getComputedStyle(el, "::after").content);
      expect(watermark, `${card} watermark`).toBe('"DEMO"');
      // One A4 page (595 × 842 points), as the browser's own print makes it.
      const pdf = (await page.pdf({ format: "A4", printBackground: true })).toString("latin1");
      expect(pdf.match(/\/Type\s*\/Page\b/g)?.length, `${tile} printed pages`).toBe(1);
      expect(pdf).toMatch(/\/MediaBox\s*\[\s*0\s+0\s+595(\.\d+)?\s+841\.\d+|\/MediaBox\s*\[\s*0\s+0\s+595(\.\d+)?\s+842/);
      await page.emulateMedia({ media: null });
    }
  });

  test("(8) the QR counts down in minutes and seconds, the encrypted option follows the profile, offline shows", async () => {
    await openHome(page);
    await page.locator('a[href="/qr"]').click();
    await expect(page.getByTestId("qr-countdown").locator('[aria-hidden="true"]')).toHaveText(/^Berganti dalam \d{1,2}:\d{2}$/);
    // The encrypted variant is a choice of institution (from the bundle; none may be
    // registered on this server): plain by default, and only for the full contents.
    const encrypted = page.getByTestId("qr-institution");
    const qr = page.getByTestId("qr");
    await expect(qr).toHaveAttribute("data-qr-profile", "full");
    await expect(encrypted).toHaveValue("");
    const full = await qr.getAttribute("data-qr-text");
    await page.getByRole("button", { name: "Dasar" }).click();
    await expect(qr).toHaveAttribute("data-qr-profile", "basic");
    // Each profile has its own credential and device key: a new QR at once.
    expect(await qr.getAttribute("data-qr-text")).not.toBe(full);
    await expect(encrypted).toBeDisabled();
    await expect(encrypted).toHaveValue("");
    await page.getByRole("button", { name: "Lengkap" }).click();
    await expect(qr).toHaveAttribute("data-qr-profile", "full");
    await expect(encrypted).toHaveValue("");

    await expect(page.getByTestId("offline")).toHaveCount(0);
    await context.setOffline(true);
    await expect(page.getByTestId("offline")).toBeVisible();
    await expect(page.getByTestId("offline")).toContainText("offline");
    await shot(page, "08-qr-offline");
    await context.setOffline(false);
    await expect(page.getByTestId("offline")).toHaveCount(0);
  });

  test("(17) Riwayat reads as sentences, never internal ids", async () => {
    await openHome(page);
    await page.locator('a[href="/riwayat"]').click();
    const history = page.locator(".history");
    await expect(history).toContainText("oleh petugas Dukcapil");
    await expect(history).toContainText("oleh Anda");
    const text = await history.innerText();
    expect(text).not.toMatch(/petugas:\d|\bwarga\b/);
    await shot(page, "17-riwayat");
  });

  test("(12a) 'Keluar dan hapus data' asks first", async () => {
    await openHome(page);
    await page.locator('a[href="/pengaturan"]').click();
    await page.getByRole("button", { name: "Keluar dan hapus data" }).click();
    await expect(page.getByTestId("confirm-logout")).toBeVisible();
    await shot(page, "12a-confirm-logout");
    // Cancel keeps everything.
    await page.getByRole("button", { name: "Batal" }).click();
    await expect(page.getByTestId("confirm-logout")).toHaveCount(0);
    await openHome(page);
    await page.locator('a[href="/pengaturan"]').click();
    await page.getByRole("button", { name: "Keluar dan hapus data" }).click();
    await page.getByRole("button", { name: "Ya, keluar dan hapus" }).click();
    await expect(page).toHaveURL(/\/$/);
    await expect(page.locator("h1")).toHaveText("IKD Web");
  });
});
