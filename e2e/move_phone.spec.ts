// Issue 18: moving to a new phone, in real Chromium at phone size (360 px), two browser
// contexts as the old and the new phone. The new phone logs in, is asked "Ganti perangkat?",
// gets a code by email (read from the service's outbox as a mail client would), a wrong code
// is refused, the right one moves the card: the new phone says the old one was revoked and
// shows the KTP; the old phone, opened online again, says when the card moved and removes
// its copy.
import { expect, test } from "@playwright/test";
import { checkAccessibility } from "./support/axe";
import { PASSWORD, PIN, activateUpToPin, approvedCitizen, setPin } from "./support/citizen_app";
import { moveCodeTo } from "./support/outbox";

const dataDir = process.env.IKD_E2E_DATA_DIR ?? "";

const phone = {
  viewport: { width: 360, height: 740 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  locale: "id-ID",
};

test("moving to a new phone takes the emailed code; both phones say so", async ({ browser }) => {
  test.setTimeout(240_000);
  const oldContext = await browser.newContext(phone);
  const oldPhone = await oldContext.newPage();
  await oldPhone.goto("/");
  const { citizen, code: activation } = await approvedCitizen(oldPhone);
  await activateUpToPin(oldPhone, citizen, activation);
  await setPin(oldPhone);

  // The new phone: password, "Ganti perangkat?", then the code form; nothing revoked yet.
  const newContext = await browser.newContext(phone);
  const newPhone = await newContext.newPage();
  await newPhone.goto("/masuk");
  await newPhone.getByLabel("NIK atau email").fill(citizen.nik);
  await newPhone.getByLabel("Kata sandi").fill(PASSWORD);
  await newPhone.getByRole("button", { name: "Masuk" }).click();
  await expect(newPhone.getByRole("alertdialog")).toContainText("Ganti perangkat?", { timeout: 60_000 });
  await newPhone.getByRole("button", { name: "Ya, gunakan perangkat ini" }).click();
  const form = newPhone.getByTestId("move-code");
  await expect(form).toBeVisible({ timeout: 30_000 });
  await expect(form).toContainText("Kode pindah ponsel sudah dikirim ke");
  await checkAccessibility(newPhone, "masuk: kode pindah ponsel");
  const code = await moveCodeTo(dataDir, citizen.email);

  const wrong = (code[0] === "2" ? "3" : "2") + code.slice(1);
  await newPhone.getByLabel("Kode dari email").fill(wrong);
  await newPhone.getByRole("button", { name: "Pindahkan ke ponsel ini" }).click();
  await expect(form).toContainText("Kode salah");
  await checkAccessibility(newPhone, "masuk: kode pindah ponsel salah");

  await newPhone.getByLabel("Kode dari email").fill(code);
  await newPhone.getByRole("button", { name: "Pindahkan ke ponsel ini" }).click();
  await expect(newPhone).toHaveURL(/\/pin\/baru$/, { timeout: 60_000 });
  await setPin(newPhone);
  await expect(newPhone.getByTestId("old-phone-revoked")).toContainText("Ponsel lama sudah dicabut");
  await checkAccessibility(newPhone, "beranda: ponsel lama dicabut");
  await newPhone.locator('a[href="/ktp"]').click();
  await expect(newPhone.getByTestId("ktp-nik")).toHaveText(citizen.nik);

  // The old phone, opened online: the card moved, on which day; its copy is gone.
  await oldPhone.goto("/");
  await expect(oldPhone).toHaveURL(/\/buka$/, { timeout: 15_000 });
  await oldPhone.getByLabel("PIN", { exact: true }).fill(PIN);
  await oldPhone.getByRole("button", { name: "Buka", exact: true }).click();
  const moved = oldPhone.getByTestId("device-moved");
  await expect(moved).toContainText("Kartu ini sudah dipindahkan ke ponsel lain pada", { timeout: 30_000 });
  await expect(moved).toContainText(/\d{4}-\d{2}-\d{2}/);
  await checkAccessibility(oldPhone, "ponsel lama: kartu dipindahkan");
  await oldPhone.reload();
  await expect(oldPhone).not.toHaveURL(/\/buka$/);
  await expect(oldPhone.locator(".menu")).toHaveCount(0);

  await oldContext.close();
  await newContext.close();
});
