// Issue 15 at laptop size (1366×768): every officer has a second factor. A new officer enrols
// a passkey at first login (Chromium's virtual authenticator, through the DevTools Protocol),
// logs out and back in with password plus passkey; a second one enrols an authenticator app
// with a code the test computes, after a wrong code is refused; an admin resets the first
// one's factors, and the audit trail shows the enrolments and the reset.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { type Browser, type Page, expect, test } from "@playwright/test";
import { checkAccessibility } from "./support/axe";
import { officerUiLogin, totpFromSecret } from "./support/officer";

const shots = path.resolve(__dirname, "..", "target", "e2e", "screenshots");
const ikd = process.env.IKD_BIN ?? "";
const dataDir = process.env.IKD_E2E_DATA_DIR ?? "";
const laptop = { viewport: { width: 1366, height: 768 }, deviceScaleFactor: 1, isMobile: false, hasTouch: false };

test.use(laptop);

async function shot(page: Page, name: string) {
  fs.mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: path.join(shots, `second-factor-${name}.png`), fullPage: true });
}

/** A new officer of Depok, as an operator adds one: no second factor yet. */
function newOfficer(username: string, password: string) {
  execFileSync(
    ikd,
    ["officer", "add", "--username", username, "--name", `Petugas ${username}`, "--role", "officer",
      "--region", "32.76", "--password-stdin", "--data-dir", dataDir],
    { input: `${password}\n`, encoding: "utf8" },
  );
}

/** Passkeys need a domain: the service's loopback address is served to them as localhost. */
function passkeyBase(): string {
  const base = new URL(process.env.IKD_BASE_URL ?? "");
  base.hostname = "localhost";
  return base.origin;
}

async function passwordStep(page: Page, username: string, password: string) {
  await page.getByLabel("Nama pengguna").fill(username);
  await page.getByLabel("Kata sandi").fill(password);
  await page.getByRole("button", { name: "Masuk" }).click();
  await expect(page.getByRole("heading", { name: "Langkah kedua" })).toBeVisible();
}

async function laptopPage(browser: Browser): Promise<Page> {
  return (await browser.newContext(laptop)).newPage();
}

test("a passkey at first login, then password plus passkey; an authenticator app; an admin's reset in the trail", async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const stamp = Date.now().toString(36);
  const passkeyUser = `kunci.${stamp}`;
  const totpUser = `aplikasi.${stamp}`;
  const password = "kata-sandi-petugas-2026";
  newOfficer(passkeyUser, password);
  newOfficer(totpUser, password);

  // 1. Enrol a passkey on Chromium's virtual platform authenticator.
  const page = await laptopPage(browser);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      transport: "internal",
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  await page.goto(`${passkeyBase()}/petugas/`);
  await passwordStep(page, passkeyUser, password);
  await checkAccessibility(page, "console: second step, enrol");
  await shot(page, "enrol");
  await page.getByRole("button", { name: "Daftarkan passkey" }).click();
  const codes = page.getByTestId("recovery-codes").locator("li");
  await expect(codes).toHaveCount(10);
  await checkAccessibility(page, "console: recovery codes");
  await shot(page, "recovery-codes");
  await page.getByRole("button", { name: "Saya sudah menyimpan kode ini" }).click();
  await expect(page.getByRole("link", { name: "Dasbor", exact: true }).first()).toBeVisible();
  const { credentials } = await cdp.send("WebAuthn.getCredentials", { authenticatorId });
  expect(credentials).toHaveLength(1);

  // 2. Log out; password plus passkey logs in again.
  await page.getByRole("button", { name: "Keluar" }).click();
  await passwordStep(page, passkeyUser, password);
  await shot(page, "passkey-login");
  await page.getByRole("button", { name: "Masuk dengan passkey" }).click();
  await expect(page.getByRole("link", { name: "Dasbor", exact: true }).first()).toBeVisible();
  const after = await cdp.send("WebAuthn.getCredentials", { authenticatorId });
  expect(after.credentials[0].signCount).toBeGreaterThan(credentials[0].signCount);

  // 3. A second officer enrols an authenticator app; a wrong code is refused first.
  const other = await laptopPage(browser);
  await other.goto("/petugas/");
  await passwordStep(other, totpUser, password);
  await other.getByRole("button", { name: "Pakai aplikasi autentikator" }).click();
  const secret = (await other.getByTestId("totp-secret").textContent()) ?? "";
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  await checkAccessibility(other, "console: authenticator app enrolment");
  await shot(other, "totp-enrol");
  const right = totpFromSecret(secret);
  const wrong = right === "000000" ? "111111" : "000000";
  await other.getByLabel(/Kode 6 angka/).fill(wrong);
  await other.getByRole("button", { name: "Konfirmasi dan masuk" }).click();
  await expect(other.getByText(/Kode salah atau sudah dipakai/)).toBeVisible();
  await other.getByLabel(/Kode 6 angka/).fill(right);
  await other.getByRole("button", { name: "Konfirmasi dan masuk" }).click();
  await expect(other.getByTestId("recovery-codes").locator("li")).toHaveCount(10);
  await other.getByRole("button", { name: "Saya sudah menyimpan kode ini" }).click();
  await expect(other.getByRole("link", { name: "Dasbor", exact: true }).first()).toBeVisible();

  // 4. The region's admin resets the passkey officer's factors; the trail shows it all.
  const admin = await laptopPage(browser);
  await admin.goto("/petugas/");
  await officerUiLogin(admin, "admin.jabar", "demo-admin-jabar-2026");
  await admin.getByRole("link", { name: "Petugas", exact: true }).first().click();
  const row = admin.locator(`[data-testid="officer-row"][data-username="${passkeyUser}"]`);
  await row.getByRole("button", { name: `Atur ulang faktor kedua Petugas ${passkeyUser}` }).click();
  await expect(row.getByRole("alert")).toContainText("Sesinya berakhir seketika");
  await row.getByRole("button", { name: "Ya, atur ulang" }).click();
  await expect(admin.getByText(`Faktor kedua Petugas ${passkeyUser} diatur ulang`)).toBeVisible();
  await admin.getByRole("link", { name: "Jejak audit" }).first().click();
  const trail = admin.locator("table");
  await expect(trail.getByText("Faktor kedua diatur ulang").first()).toBeVisible();
  await expect(trail.getByText("Faktor kedua didaftarkan").first()).toBeVisible();
  await shot(admin, "trail");

  // Her session ended; with her password she is asked to enrol again.
  await page.reload();
  await passwordStep(page, passkeyUser, password);
  await expect(page.getByRole("button", { name: "Daftarkan passkey" })).toBeVisible();
});
