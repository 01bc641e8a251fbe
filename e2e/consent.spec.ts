// Issue 17's "Done when", in real Chromium at phone size (360 px): an institution asks for the
// basic scope through the API with its own key; the citizen opens the institution's link,
// unlocks, sees who asks for what and approves; the institution reads exactly that scope; the
// citizen sees the read in Riwayat, revokes the grant in Persetujuan, and the institution's
// next read is refused; the citizen downloads their data and finds the grant and the read in
// it; then closes the account, and logging in again is refused with a message that says so.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { type APIRequestContext, expect, request as playwrightRequest, test } from "@playwright/test";
import { checkAccessibility } from "./support/axe";
import { PASSWORD, PIN, activateUpToPin, approvedCitizen, setPin } from "./support/citizen_app";

const baseURL = process.env.IKD_BASE_URL ?? "";
const dataDir = process.env.IKD_E2E_DATA_DIR ?? "";
const ikd = process.env.IKD_BIN ?? "";

/** A new institution from `ikd institution add`, and an API client holding its bearer key. */
async function institution(name: string): Promise<APIRequestContext> {
  const out = execFileSync(ikd, ["institution", "add", "--name", name, "--data-dir", dataDir], { encoding: "utf8" });
  const line = out.split("\n").find((l) => l.trim().startsWith("{"));
  if (!line) throw new Error(`no JSON from ikd institution add:\n${out}`);
  const { apiKey } = JSON.parse(line) as { apiKey: string };
  expect(apiKey, out).toBeTruthy();
  return playwrightRequest.newContext({ baseURL, extraHTTPHeaders: { Authorization: `Bearer ${apiKey}` } });
}

test("an institution asks, the citizen approves, sees the read, revokes, exports and closes the account", async ({ page }) => {
  test.setTimeout(240_000);
  const name = `Bank Uji ${Date.now()}`;
  const bank = await institution(name);

  // A citizen with the app set up on this phone.
  const { citizen, code } = await approvedCitizen(page);
  await activateUpToPin(page, citizen, code);
  await setPin(page);

  // The institution asks for the basic scope.
  const asked = await bank.post("/api/institution/consent-requests", {
    data: { nik: citizen.nik, scope: "basic", purpose: "Pembukaan rekening tabungan", periodDays: 30 },
  });
  expect(asked.status(), await asked.text()).toBe(202);
  const request = (await asked.json()) as { requestId: string; shortCode: string; link: string };
  expect(request.link).toContain(`?persetujuan=${request.shortCode}`);
  // Before an answer, nothing can be read.
  const early = await bank.get(`/api/institution/grants/${request.requestId}/data?scope=basic`);
  expect(early.status()).toBe(403);

  // The citizen opens the institution's link: the PIN first, then the request.
  await page.goto(`/?persetujuan=${request.shortCode}`);
  await expect(page).toHaveURL(/\/buka$/, { timeout: 15_000 });
  await page.getByLabel("PIN", { exact: true }).fill(PIN);
  await page.getByRole("button", { name: "Buka" }).click();
  await expect(page.locator(".menu")).toBeVisible({ timeout: 15_000 });
  const card = page.getByTestId("consent-waiting").getByTestId("consent").filter({ hasText: name });
  await expect(card).toHaveAttribute("data-status", "waiting");
  await expect(card).toContainText("Identitas dasar");
  await expect(card).toContainText("Pembukaan rekening tabungan");
  await expect(card).toContainText("30 hari");
  await checkAccessibility(page, "a consent request on the home screen");
  await card.getByRole("button", { name: "Setujui", exact: true }).click();
  const confirm = card.getByTestId("confirm-approve");
  await expect(confirm).toContainText(`${name} akan dapat membaca NIK, nama lengkap, tanggal lahir dan jenis kelamin, selama 30 hari`);
  await card.getByRole("button", { name: "Ya, setujui" }).click();
  await expect(card).toHaveAttribute("data-status", "live");

  // The institution reads exactly the basic scope.
  const read = await bank.get(`/api/institution/grants/${request.requestId}/data?scope=basic`);
  expect(read.status(), await read.text()).toBe(200);
  const data = await read.json();
  expect(data.scope).toBe("basic");
  expect(data.basic.nik).toBe(citizen.nik);
  expect(data.ktp).toBeUndefined();
  expect(data.familyCard).toBeUndefined();

  // The full QR encrypted for this institution only (its own key, from the bundle): the bank
  // opens it online; the public verifier, which holds no institution key, says so.
  await page.locator('a[href="/qr"]').click();
  const qr = page.getByTestId("qr");
  await expect(qr).toHaveAttribute("data-qr-profile", "full");
  await page.getByTestId("qr-institution").selectOption({ label: name });
  await expect(qr).toHaveAttribute("data-qr-profile", "full-encrypted");
  await expect(qr).toHaveAttribute("data-qr-institution", name);
  await expect(page.getByTestId("qr-encrypted-for")).toContainText(`Hanya ${name} yang dapat membuka QR ini`);
  const encryptedQr = (await qr.getAttribute("data-qr-text")) ?? "";
  const verified = await bank.post("/api/verifications", { data: { qr: encryptedQr } });
  expect(verified.status(), await verified.text()).toBe(200);
  const verdict = await verified.json();
  expect(verdict.valid, JSON.stringify(verdict)).toBe(true);
  expect(verdict.encrypted).toBe(true);
  expect(verdict.nik).toBe(citizen.nik);
  await page.goto("/verifikasi");
  await page.getByLabel("atau tempel teks QR").fill(encryptedQr);
  await page.getByRole("button", { name: "Periksa" }).click();
  await expect(page.getByTestId("verdict")).toHaveAttribute("data-code", "other-institution");
  await expect(page.getByTestId("verdict")).toContainText("terenkripsi untuk satu instansi");
  // Back in the app (a fresh page load: the PIN again).
  await page.goto("/");
  await expect(page).toHaveURL(/\/buka$/, { timeout: 15_000 });
  await page.getByLabel("PIN", { exact: true }).fill(PIN);
  await page.getByRole("button", { name: "Buka" }).click();
  await expect(page.locator(".menu")).toBeVisible({ timeout: 15_000 });

  // The citizen sees the read in Riwayat, fetched from the service online, and the QR shown
  // to the institution in the phone's own log.
  await page.getByRole("link", { name: "Riwayat aktivitas" }).click();
  await expect(page.getByTestId("presentation").filter({ hasText: `untuk ${name}` }).first()).toBeVisible();
  await expect(page.getByTestId("history-source")).toHaveAttribute("data-live", "true");
  const readLine = page.getByTestId("activity").filter({ hasText: "Data dibaca oleh instansi" }).first();
  await expect(readLine).toContainText(`oleh ${name}`);
  await expect(readLine).toContainText("Identitas dasar");
  await expect(page.getByTestId("activity").filter({ hasText: "Izin akses data diberikan" }).first()).toContainText(name);

  // Persetujuan lists the live grant with its read, and revokes it after a confirm.
  await page.getByRole("link", { name: "Kembali" }).click();
  await page.getByRole("link", { name: "Persetujuan", exact: true }).click();
  const grant = page.getByTestId("consent-grants").getByTestId("consent").filter({ hasText: name });
  await expect(grant).toHaveAttribute("data-status", "live");
  await expect(grant.getByTestId("consent-reads")).toContainText("1 kali");
  await checkAccessibility(page, "Persetujuan");
  await grant.getByRole("button", { name: "Cabut izin" }).click();
  await expect(grant.getByTestId("confirm-revoke")).toContainText(`Cabut izin ${name} untuk Identitas dasar?`);
  await grant.getByRole("button", { name: "Ya, cabut izin" }).click();
  await expect(grant).toHaveAttribute("data-status", "revoked");
  await expect(grant.getByTestId("consent-status")).toHaveText("Dicabut");

  // The institution's next read is refused.
  const refused = await bank.get(`/api/institution/grants/${request.requestId}/data?scope=basic`);
  expect(refused.status()).toBe(403);
  expect((await refused.json()).code).toBe("consent-revoked");

  // Pengaturan → Akun → the data as a JSON download: the grant and the read are in it.
  await page.getByRole("link", { name: "Kembali" }).click();
  await page.getByRole("link", { name: "Pengaturan", exact: true }).click();
  await page.getByRole("link", { name: "Akun", exact: true }).click();
  await expect(page.getByTestId("account-email")).toHaveText(citizen.email, { timeout: 15_000 });
  await checkAccessibility(page, "Akun");
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Unduh data saya (JSON)" }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/\.json$/);
  const exported = JSON.parse(fs.readFileSync(await download.path(), "utf8"));
  expect(exported.account.nik).toBe(citizen.nik);
  const exportedGrant = exported.consents.find((c: { id: string }) => c.id === request.requestId);
  expect(exportedGrant, JSON.stringify(exported.consents)).toBeTruthy();
  expect(exportedGrant.institutionName).toBe(name);
  expect(exportedGrant.status).toBe("revoked");
  expect(
    exported.activity.some((a: { kind: string; detail: string }) =>
      a.kind === "institution-read" && a.detail === `basic:${request.requestId}`),
    JSON.stringify(exported.activity),
  ).toBe(true);

  // The printable page shows the same grant.
  await page.getByRole("link", { name: "Cetak data saya" }).click();
  await expect(page.getByTestId("export-consents")).toContainText(name);
  await page.getByRole("link", { name: "Kembali" }).click();

  // Closing: what is deleted and what is kept is on the screen before the password.
  await page.getByRole("link", { name: "Tutup akun…" }).click();
  await expect(page.locator("h1")).toHaveText("Tutup akun");
  await expect(page.getByText("Jejak audit keputusan petugas")).toBeVisible();
  await expect(page.getByText("Swafoto pendaftaran Anda")).toBeVisible();
  await checkAccessibility(page, "Tutup akun");
  const close = page.getByRole("button", { name: "Tutup akun saya" });
  await expect(close).toBeDisabled();
  await page.getByLabel("Saya mengerti bahwa ini tidak dapat dibatalkan.").check();
  await page.getByLabel("Kata sandi", { exact: true }).fill(PASSWORD);
  await close.click();
  await expect(page.getByTestId("account-closed")).toBeVisible({ timeout: 30_000 });
  // The local copy is gone: the app opens at the landing page, not the PIN.
  await page.goto("/");
  await expect(page.getByRole("link", { name: "Masuk", exact: true })).toBeVisible();
  await expect(page).not.toHaveURL(/\/buka$/);

  // Logging in again is refused, with what happened and how to start again.
  await page.goto("/masuk");
  await page.getByLabel("NIK atau email").fill(citizen.nik);
  await page.getByLabel("Kata sandi", { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: "Masuk", exact: true }).click();
  await expect(page.getByRole("alert")).toBeVisible({ timeout: 30_000 });
  const help = page.getByTestId("account-closed-help");
  await expect(help).toContainText("sudah ditutup");
  await expect(help.getByRole("link", { name: "Daftar di loket Dukcapil" })).toBeVisible();
  await checkAccessibility(page, "a login refused for a closed account");
});

test("Ponsel hilang is reachable from Masuk and says it revokes the lost phone without activating this browser", async ({ page }) => {
  await page.goto("/masuk");
  await page.getByRole("link", { name: "Ponsel hilang?" }).click();
  await expect(page).toHaveURL(/\/ponsel-hilang$/);
  await expect(page.locator("main")).toContainText("dicabut");
  await expect(page.locator("main")).toContainText("Ini tidak mengaktifkan peramban ini");
  await expect(page.getByLabel("NIK", { exact: true })).toBeVisible();
  await expect(page.getByLabel("Kata sandi", { exact: true })).toBeVisible();
  await checkAccessibility(page, "Ponsel hilang");
});
