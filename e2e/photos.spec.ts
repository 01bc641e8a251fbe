// Issue 13, items 13 and 18: the two photos an officer compares.
//
// Item 13: Chromium's fake camera (a green test pattern, no face) gives a selfie the phone's
// own check flags before sending (citizen phone, 360×740), and the officer sees the same
// warning beside the photo (laptop, 1366×768).
// Item 18: a registry extract loaded with `ikd seed --csv` and a photo column: a person with a
// photo shows it, a person without one shows "Tidak ada foto registri / No registry photo",
// never a drawing, neither to the officer (1366×768) nor on the citizen's KTP (360×740). This
// runs a second `ikd serve` on its own extract-seeded data dir.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { type Page, chromium, expect, request as playwrightRequest, test } from "@playwright/test";
import { checkAccessibility } from "./support/axe";
import { register, selfieJpegBase64 } from "./support/citizen_api";
import { officerUiLogin, totpFromSecret } from "./support/officer";
import { latestEmailTo } from "./support/outbox";
import { sql } from "./support/registry";

const baseURL = process.env.IKD_BASE_URL ?? "";
const dataDir = process.env.IKD_E2E_DATA_DIR ?? "";
const ikd = process.env.IKD_BIN ?? "";
const root = path.resolve(__dirname, "..");
const LAPTOP = { viewport: { width: 1366, height: 768 }, deviceScaleFactor: 1, isMobile: false, hasTouch: false };
const PHONE = { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
const CHROMIUM_ARGS = [
  "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];

const shot = (page: Page, name: string) => page.screenshot({ path: test.info().outputPath(`${name}.png`), fullPage: true });

/** The demo officer, with the code from its authenticator app: by default the main server's
 * (`ikd officer totp-code`), or computed from the secret another data dir's `ikd demo` printed. */
async function consoleLogIn(page: Page, code?: () => string) {
  await page.goto("/petugas/");
  await officerUiLogin(page, "petugas.depok", "demo-petugas-2026", code);
  await expect(page.getByRole("link", { name: "Dasbor", exact: true }).first()).toBeVisible();
}

/** Opens desk mode (opening a desk if the officer has none); returns the short code. */
async function deskMode(page: Page): Promise<string> {
  await page.getByRole("link", { name: "Loket", exact: true }).first().click();
  const label = page.getByLabel("Nama loket");
  const shortCode = page.getByTestId("short-code");
  await expect(label.or(shortCode)).toBeVisible();
  if (await label.isVisible()) {
    await label.fill("Loket Foto");
    await page.getByRole("button", { name: "Buka loket" }).click();
  }
  await expect(shortCode).toHaveText(/[0-9A-Z]/);
  return ((await shortCode.textContent()) ?? "").replace(/\s/g, "");
}

async function openInQueue(page: Page, id: string) {
  const item = page.locator(`[data-testid=queue-item][data-registration-id="${id}"]`);
  await expect(item).toBeVisible({ timeout: 15_000 });
  await item.click();
  await expect(page.getByTestId("detail")).toHaveAttribute("data-registration-id", id);
}

test("(13) a selfie with no face: the phone warns before sending, the officer sees it beside the photo", async () => {
  test.setTimeout(150_000);
  const out = execFileSync(ikd, ["demo", "--citizens", "1", "--data-dir", dataDir], { encoding: "utf8" });
  const match = out.match(/^\s+(\d{16})\s+(\S+@\S+)\s+(\d+)/m);
  if (!match) throw new Error(`no demo citizen in:\n${out}`);
  const citizen = { nik: match[1], email: match[2], phone: match[3] };

  // Chromium's own fake camera: its green test pattern, nothing like a face.
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: [...CHROMIUM_ARGS, "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream"],
  });
  try {
    const officer = await (await browser.newContext({ baseURL, ...LAPTOP, locale: "id-ID" })).newPage();
    await consoleLogIn(officer);
    const code = await deskMode(officer);

    const phone = await (await browser.newContext({ baseURL, ...PHONE, locale: "id-ID", permissions: ["camera"] })).newPage();
    await phone.goto("/daftar");
    await phone.getByLabel("NIK").fill(citizen.nik);
    await phone.getByLabel("Email").fill(citizen.email);
    await phone.getByLabel("Nomor HP").fill(citizen.phone);
    await phone.getByRole("button", { name: "Buka kamera depan" }).click();
    await phone.waitForFunction(() => ((document.querySelector("video") as HTMLVideoElement | null)?.videoWidth ?? 0) > 0);
    await phone.getByRole("button", { name: "Ambil swafoto" }).click();
    await expect(phone.locator("img.selfie-preview")).toBeVisible();
    const warning = phone.getByTestId("selfie-findings");
    await expect(warning).toBeVisible();
    await expect(warning).toContainText("Tidak tampak wajah");
    await expect(warning).toContainText("petugas yang memutuskan");
    // A warning, not a block: retaking is offered, and sending still works.
    await expect(phone.getByRole("button", { name: "Ulangi swafoto" })).toBeVisible();
    await warning.scrollIntoViewIfNeeded();
    await checkAccessibility(phone, "registration with a selfie warning");
    await shot(phone, "citizen-selfie-warning-360x740");
    await phone.getByLabel(/atau ketik kode loket/).fill(code);
    await phone.getByRole("button", { name: "Kirim pendaftaran" }).click();
    await expect(phone.getByText("Pendaftaran terkirim")).toBeVisible({ timeout: 30_000 });

    const [[id, stored]] = sql(
      `SELECT id, selfie_findings FROM registrations WHERE nik = '${citizen.nik}' ORDER BY created_at DESC LIMIT 1`,
    );
    expect(stored.split(",")).toContain("no-face");

    await openInQueue(officer, id);
    const beside = officer.getByTestId("detail").getByTestId("selfie-findings");
    await expect(beside).toBeVisible();
    await expect(beside).toContainText("Tidak tampak wajah di tengah foto");
    await checkAccessibility(officer, "face check with a selfie warning");
    await shot(officer, "officer-selfie-warning-1366x768");
  } finally {
    await browser.close();
  }
});

/** This environment minus IKD_DATABASE_URL: the second service keeps its own SQLite file. */
function withoutDatabaseUrl(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.IKD_DATABASE_URL;
  return env;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

async function healthy(url: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${url}/api/health`)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`ikd serve at ${url} did not come up`);
}

test("(18) an extract's registry photos are its own; a person without one shows 'no registry photo'", async ({ page }) => {
  test.setTimeout(150_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ikd-e2e-extract-"));
  let server: ChildProcess | undefined;
  try {
    // Budi's photo is a file named in the CSV; Andi has none.
    await page.goto("about:blank");
    const budiJpeg = Buffer.from(await selfieJpegBase64(page), "base64");
    fs.mkdirSync(path.join(dir, "foto"));
    fs.writeFileSync(path.join(dir, "foto", "budi.jpg"), budiJpeg);
    const row = (nik: string, name: string, sex: string, born: string, rel: string, email: string, phone: string, photo: string) =>
      `3276011203150001,${nik},${name},${sex},Depok,${born},ISLAM,KAWIN,KARYAWAN SWASTA,SLTA/SEDERAJAT,O,${rel},Slamet,Sri,JL. MAWAR NO. 1,3,7,32.76.01.1006,1,1,${email},${phone},${photo}`;
    const budi = { nik: "3276010507900001", email: "budi@pilot.test", phone: "081234567801" };
    const andi = { nik: "3276010101000003", email: "andi@pilot.test", phone: "081234567803" };
    fs.writeFileSync(
      path.join(dir, "pilot.csv"),
      [
        "kk_number,nik,full_name,sex,place_of_birth,birth_date,religion,marital_status,occupation,education,blood_type,relationship,father_name,mother_name,street,rt,rw,village_code,ektp_recorded,ektp_printed,email,phone,foto",
        row(budi.nik, "Budi Santoso", "L", "1990-07-05", "KEPALA KELUARGA", budi.email, budi.phone, "foto/budi.jpg"),
        row(andi.nik, "Andi Santoso", "L", "2000-01-01", "ANAK", andi.email, andi.phone, ""),
      ].join("\n"),
    );
    const data = path.join(dir, "data");
    fs.mkdirSync(data);
    const seeded = JSON.parse(
      execFileSync(ikd, ["seed", "--csv", path.join(dir, "pilot.csv"), "--data-dir", data], { encoding: "utf8", env: withoutDatabaseUrl() }).trim().split("\n").pop() ?? "{}",
    );
    expect(seeded).toMatchObject({ persons: 2, photos: 1, rejected: [], origin: "extract" });
    const demo = execFileSync(ikd, ["demo", "--citizens", "0", "--data-dir", data], { encoding: "utf8", env: withoutDatabaseUrl() });
    // An extract is no demo registry, so `ikd officer totp-code` refuses there: the test is the
    // officer's authenticator app, from the secret `ikd demo` printed.
    const secret = demo.match(/^\s+petugas\.depok\s.*TOTP ([A-Z2-7]+)$/m)?.[1] ?? "";
    expect(secret).not.toBe("");
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    server = spawn(
      ikd,
      ["serve", "--listen", `127.0.0.1:${port}`, "--data-dir", data, "--web-dir", path.join(root, "dist"), "--console-dir", path.join(root, "dist-console")],
      { stdio: "ignore", env: withoutDatabaseUrl() },
    );
    await healthy(url);

    const context = await page.context().browser()!.newContext({ baseURL: url, ...LAPTOP, locale: "id-ID" });
    const officer = await context.newPage();
    await consoleLogIn(officer, () => totpFromSecret(secret));
    const code = await deskMode(officer);
    const api = await playwrightRequest.newContext({ baseURL: url });
    const selfie = await selfieJpegBase64(officer);
    const andiId = await register(api, andi, code, selfie);
    const budiId = await register(api, budi, code, selfie);

    // Andi: no registry photo, said so (in the console's language), and no picture in its place.
    await openInQueue(officer, andiId);
    const detail = officer.getByTestId("detail");
    const none = detail.getByTestId("no-registry-photo");
    await expect(none).toBeVisible();
    await expect(none).toContainText("Tidak ada foto registri");
    await expect(detail.locator("img")).toHaveCount(1);
    const missing = await officer.request.get(`/api/officer/registrations/${andiId}/registry-photo`);
    expect(missing.status()).toBe(404);
    expect((await missing.json()).code).toBe("no-registry-photo");
    await checkAccessibility(officer, "face check without a registry photo");
    await shot(officer, "officer-no-registry-photo-1366x768");

    // Budi: the imported file itself.
    await openInQueue(officer, budiId);
    const photo = detail.locator("img").nth(1);
    await expect(photo).toBeVisible();
    await expect.poll(() => photo.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(240);
    const served = await officer.request.get(`/api/officer/registrations/${budiId}/registry-photo`);
    expect(Buffer.from(await served.body()).equals(budiJpeg)).toBe(true);
    await shot(officer, "officer-registry-photo-from-extract-1366x768");

    // The officer still decides for Andi, checking the person instead of a registry photo.
    await openInQueue(officer, andiId);
    await officer.locator("body").click({ position: { x: 5, y: 5 } });
    await officer.keyboard.press("s");
    await expect(officer.locator(`[data-testid=queue-item][data-registration-id="${andiId}"]`)).toHaveCount(0);
    await context.close();

    // Andi's KTP on his phone: a neutral box saying there is no photo, never a drawing.
    const activationCode = (await latestEmailTo(data, andi.email)).match(/kode=([0-9A-Z]{8})/)?.[1] ?? "";
    expect(activationCode).toHaveLength(8);
    const phoneContext = await page.context().browser()!.newContext({ baseURL: url, ...PHONE, locale: "id-ID" });
    const phone = await phoneContext.newPage();
    await phone.goto("/aktivasi");
    await phone.getByLabel("NIK").fill(andi.nik);
    await phone.getByLabel("Kode aktivasi (dari email)").fill(activationCode);
    await phone.getByLabel("Kata sandi baru").fill("kuda-lari-di-sawah-42");
    await phone.getByLabel("Ulangi kata sandi").fill("kuda-lari-di-sawah-42");
    await phone.getByRole("button", { name: "Aktifkan" }).click();
    await expect(phone).toHaveURL(/\/pin\/baru$/, { timeout: 60_000 });
    await phone.getByLabel("PIN", { exact: true }).fill("482913");
    await phone.getByLabel("Ulangi PIN").fill("482913");
    await phone.getByRole("button", { name: "Simpan PIN" }).click();
    await expect(phone.locator(".menu")).toBeVisible({ timeout: 30_000 });
    await phone.locator('a[href="/ktp"]').click();
    await expect(phone.getByTestId("ktp-nik")).toHaveText(andi.nik);
    await expect(phone.getByTestId("ktp-no-photo")).toContainText("Tidak ada foto");
    await expect(phone.locator("img.ktp-photo")).toHaveCount(0);
    await shot(phone, "citizen-ktp-without-registry-photo-360x740");
    await phoneContext.close();
  } finally {
    server?.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
