// The officer console in real Chromium at laptop size (1366×768): an ASN drive with a 50-row
// roster (5 bad rows reported, exactly those), 45 civil servants registering through the API
// with the drive's QR, the officer approving all of them with the keyboard (one by one, then
// face-checked and approved as a batch), progress at 45/45, and the dashboard's figures equal
// to what the database holds. Then desk mode: the short code on screen registers a citizen,
// one key approves. The console in English: a switch on the login page and in the top bar,
// remembered across a reload, refusals in English. axe-core on every console page.
import fs from "node:fs";
import path from "node:path";
import { type Page, expect, test } from "@playwright/test";
import { checkAccessibility } from "./support/axe";
import { type Registrant, register, selfieJpegBase64 } from "./support/citizen_api";
import { demoTotpCode, officerUiLogin, totpFromSecret } from "./support/officer";
import { count, ktpAgeCutoff, sql } from "./support/registry";

const shots = path.resolve(__dirname, "..", "target", "e2e", "screenshots");
const UNITS = ["BAGIAN UMUM", "DINAS KESEHATAN", "DINAS PENDIDIKAN"];

test.use({
  viewport: { width: 1366, height: 768 },
  deviceScaleFactor: 1,
  isMobile: false,
  hasTouch: false,
});

async function shot(page: Page, name: string) {
  fs.mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: path.join(shots, `console-${name}.png`), fullPage: true });
}

async function logIn(page: Page, username: string, password: string) {
  await page.goto("/petugas/");
  // The login form itself, not the page before the console has started.
  await expect(page.getByRole("heading", { name: "Masuk petugas" })).toBeVisible();
  await checkAccessibility(page, "console login");
  await officerUiLogin(page, username, password);
  await expect(page.getByRole("link", { name: "Dasbor", exact: true }).first()).toBeVisible();
}

interface Asn extends Registrant {
  nip: string;
  name: string;
}

// The drive the demo officer (petugas.depok) creates is in her region, Depok, for Depok's
// government: a roster admits only that agency's civil servants living there (issue 15).
const DRIVE_REGION = "32.76";
const DRIVE_AGENCY = "PEMERINTAH KOTA DEPOK";

/** Registrable civil servants of the drive's agency living in its region (adults with a
 *  recorded e-KTP and contacts, never registered). */
function civilServants(limit: number): Asn[] {
  const adult = `${new Date().getUTCFullYear() - 18}-01-01`;
  return sql(
    `SELECT c.nip, c.nik, p.full_name, p.email, p.phone FROM registry_civil_servants c
     JOIN registry_persons p ON p.nik = c.nik
     WHERE p.ektp_recorded = 1 AND p.email IS NOT NULL AND p.phone IS NOT NULL
       AND p.birth_date < '${adult}'
       AND p.regency_code = '${DRIVE_REGION}' AND UPPER(c.agency) = '${DRIVE_AGENCY}'
       AND c.nik NOT IN (SELECT nik FROM registrations)
     ORDER BY c.nip LIMIT ${limit}`,
  ).map(([nip, nik, name, email, phone]) => ({ nip, nik, name, email, phone }));
}

/** The 50-row roster: 45 good rows and 5 bad ones, with the lines the bad ones land on. */
function roster(asn: Asn[]): { csv: string; bad: Map<number, string> } {
  const [someone] = sql(
    `SELECT p.nik FROM registry_persons p WHERE p.nik NOT IN (SELECT nik FROM registry_civil_servants)
     AND p.ektp_recorded = 1 ORDER BY p.nik LIMIT 1`,
  );
  const notAsn = someone[0];
  const unknownNik = `${notAsn.slice(0, 12)}9999`;
  const lines = ["nip,nik,nama,unit"];
  const bad = new Map<number, string>();
  asn.forEach((a, i) => {
    lines.push(`${a.nip},${a.nik},"${a.name}",${UNITS[i % UNITS.length]}`);
    const extra: Record<number, [string, string]> = {
      4: [`199001012015031001,3276011205,NIK PENDEK,BAGIAN UMUM`, "bad-nik"],
      14: [`199001012015031002,9999011205900001,WILAYAH SALAH,BAGIAN UMUM`, "bad-nik"],
      24: [`${asn[0].nip},${asn[0].nik},"${asn[0].name}",BAGIAN UMUM`, "duplicate"],
      34: [`199001012015031003,${unknownNik},TIDAK ADA,DINAS KESEHATAN`, "not-on-record"],
      40: [`199001012015031004,${notAsn},BUKAN ASN,DINAS PENDIDIKAN`, "not-on-record"],
    };
    if (extra[i]) {
      lines.push(extra[i][0]);
      bad.set(lines.length, extra[i][1]);
    }
  });
  return { csv: `${lines.join("\n")}\n`, bad };
}

async function deskToken(page: Page, deskId: number): Promise<string> {
  const answer = await page.request.get(`/api/desks/${deskId}/token`);
  expect(answer.status()).toBe(200);
  return (await answer.json()).qrText;
}

/** Waits until the face-check panel shows someone, and returns who. */
async function shownPerson(page: Page): Promise<string> {
  const detail = page.getByTestId("detail");
  await expect(detail).toHaveAttribute("data-registration-id", /.+/);
  await expect(detail.locator("img").first()).toBeVisible();
  return (await detail.getAttribute("data-registration-id")) ?? "";
}

test("ASN drive: roster with 5 bad rows, 45 approved by keyboard, progress and dashboard match the database", async ({
  page,
  request,
}) => {
  test.setTimeout(300_000);
  const asn = civilServants(45);
  const wanted = `45 registrable civil servants of ${DRIVE_AGENCY} living in ${DRIVE_REGION}`;
  expect(asn, `the seed must hold ${wanted}`).toHaveLength(45);
  const { csv, bad } = roster(asn);
  expect(csv.trim().split("\n")).toHaveLength(51);

  await logIn(page, "petugas.depok", "demo-petugas-2026");
  await page.getByRole("link", { name: "Jemput bola", exact: true }).first().click();
  await expect(page.getByLabel("Nama kegiatan")).toBeVisible();
  await checkAccessibility(page, "drives");
  await page.getByLabel("Nama kegiatan").fill("Jemput bola IKD Balai Kota Depok");
  await page.getByLabel("Instansi").fill(DRIVE_AGENCY);
  await page.getByLabel(/Unit kerja/).fill(UNITS.join("\n"));
  await page.getByLabel("Tempat").fill("Aula Balai Kota Depok");
  await page.getByLabel("Mulai").fill("2026-11-23");
  await page.getByLabel("Selesai").fill("2026-11-27");
  await page.getByRole("button", { name: "Buat kegiatan" }).click();
  await page.waitForURL(/\/petugas\/kegiatan\/\d+$/);
  const driveId = Number(page.url().split("/").pop());

  // 1. The roster: exactly the 5 bad rows are reported, the 45 good ones imported.
  await page.getByLabel("Berkas CSV").setInputFiles({
    name: "daftar-asn.csv",
    mimeType: "text/csv",
    buffer: Buffer.from(csv, "utf8"),
  });
  await page.getByRole("button", { name: /Impor/ }).click();
  const badRows = page.getByTestId("bad-row");
  await expect(badRows).toHaveCount(5);
  const reported = await badRows.evaluateAll((rows) =>
    rows.map((r) => [Number(r.querySelector("td")?.textContent ?? "0"), r.getAttribute("data-problem")]),
  );
  expect(new Map(reported as [number, string][])).toEqual(bad);
  await expect(page.getByTestId("roster-summary")).toContainText("45");
  await shot(page, "drive-roster");
  await checkAccessibility(page, "drive page");
  // The projector view of the drive's rotating QR, for a screen in the hall.
  await page.goto(`/petugas/kegiatan/${driveId}/layar`);
  await expect(page.getByTestId("desk-qr").locator("svg")).toBeVisible();
  await checkAccessibility(page, "drive projector");
  await page.goto(`/petugas/kegiatan/${driveId}`);
  await expect(page.getByRole("link", { name: "Tampilkan QR di proyektor" })).toBeVisible();

  // 2. 45 civil servants register with the drive's QR (refreshed as it rotates).
  const drive = await (await page.request.get(`/api/drives/${driveId}`)).json();
  const selfie = await selfieJpegBase64(page);
  let token = await deskToken(page, drive.deskId);
  for (const [i, person] of asn.entries()) {
    if (i % 10 === 0) token = await deskToken(page, drive.deskId);
    await register(request, person, token, selfie);
  }

  // 3. The officer approves them with the keyboard: five one by one (S), then forty
  //    face-checked (C) and approved together (Shift+S).
  const queue = page.getByTestId("queue-item");
  await expect(queue).toHaveCount(45, { timeout: 20_000 });
  await page.locator("body").click({ position: { x: 5, y: 5 } });
  const started = Date.now();
  for (let left = 45; left > 40; left--) {
    const who = await shownPerson(page);
    await page.keyboard.press("s");
    await expect(queue).toHaveCount(left - 1);
    await expect(page.getByTestId("detail")).not.toHaveAttribute("data-registration-id", who);
  }
  await shot(page, "drive-face-check");
  for (let i = 0; i < 40; i++) {
    const who = await shownPerson(page);
    await page.keyboard.press("c");
    if (i < 39) {
      await expect(page.getByTestId("detail")).not.toHaveAttribute("data-registration-id", who);
    }
  }
  await page.keyboard.press("Shift+S");
  await expect(queue).toHaveCount(0, { timeout: 30_000 });
  // A measurement for the notes (the ≤ 30 s per person budget), not an assertion.
  console.log(`console: 45 people approved by keyboard in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  // 4. Progress: 45 of 45 approved.
  const total = page.getByTestId("progress-total");
  await expect(total).toHaveAttribute("data-approved", "45", { timeout: 15_000 });
  await expect(total).toHaveAttribute("data-on-roster", "45");
  await expect(total).toHaveAttribute("data-registered", "45");
  expect(count(`SELECT COUNT(*) FROM registrations r JOIN drives d ON d.desk_id = r.desk_id
                WHERE d.id = ${driveId} AND r.status = 'approved' AND r.decided_by IS NOT NULL`)).toBe(45);
  const exported = await (await page.request.get(`/api/drives/${driveId}/progress?format=csv`)).text();
  expect(exported).toContain(",JUMLAH,45,45,45,0");
  await shot(page, "drive-progress");

  // 5. The dashboard equals the database: Indonesia, West Java, Depok.
  const cutoff = ktpAgeCutoff();
  const scopes: [string, string, string][] = [
    ["/petugas/dasbor?wilayah=id", "", "1 = 1"],
    ["/petugas/dasbor?wilayah=32", "p.province_code = '32'", "a.regency_code LIKE '32.%'"],
    ["/petugas/dasbor?wilayah=32.76", "p.regency_code = '32.76'", "a.regency_code = '32.76'"],
  ];
  for (const [url, personFilter, adoptionFilter] of scopes) {
    await page.goto(url);
    const region = page.getByTestId("dash-region");
    const eligible = count(
      `SELECT COUNT(*) FROM registry_persons p WHERE p.ektp_recorded = 1 AND p.birth_date <= '${cutoff}'
       ${personFilter ? `AND ${personFilter}` : ""}`,
    );
    const registered = count(`SELECT COUNT(*) FROM adoption a WHERE ${adoptionFilter}`);
    const activated = count(`SELECT COUNT(*) FROM adoption a WHERE ${adoptionFilter} AND a.activated_at IS NOT NULL`);
    await expect(region).toHaveAttribute("data-eligible", String(eligible));
    await expect(region).toHaveAttribute("data-registered", String(registered));
    await expect(region).toHaveAttribute("data-activated", String(activated));
    await expect(page.getByTestId("dash-child").first()).toBeVisible();
    await checkAccessibility(page, `dashboard ${url}`);
  }
  // Without a region chosen, a Depok officer's dashboard opens at Depok (issue 13, item 16).
  await page.getByRole("link", { name: "Dasbor", exact: true }).first().click();
  await expect(page.locator('.breadcrumb [aria-current="page"]')).toHaveText(/depok/i);
  // Everyone the drive approved is counted as registered somewhere in Indonesia.
  expect(count("SELECT COUNT(*) FROM adoption WHERE approved_at IS NOT NULL")).toBeGreaterThanOrEqual(45);
  await shot(page, "dashboard-depok");
});

test("desk mode: the short code on screen registers a citizen and one key approves", async ({ page, request }) => {
  test.setTimeout(120_000);
  const [row] = sql(
    `SELECT nik, email, phone FROM registry_persons WHERE ektp_recorded = 1 AND email IS NOT NULL
     AND phone IS NOT NULL AND birth_date < '${new Date().getUTCFullYear() - 18}-01-01'
     AND nik NOT IN (SELECT nik FROM registrations) AND nik NOT IN (SELECT nik FROM registry_civil_servants)
     ORDER BY nik DESC LIMIT 1`,
  );
  const citizen: Registrant = { nik: row[0], email: row[1], phone: row[2] };

  await logIn(page, "petugas.depok", "demo-petugas-2026");
  await page.getByRole("link", { name: "Loket", exact: true }).first().click();
  const label = page.getByLabel("Nama loket");
  const shortCode = page.getByTestId("short-code");
  // The page first loads the officer's desks, then shows either the open desk or the form to
  // open one: wait for whichever comes, instead of deciding before either has rendered.
  await expect(label.or(shortCode)).toBeVisible();
  if (await label.isVisible()) {
    await label.fill("Loket 1 Disdukcapil Depok");
    await page.getByRole("button", { name: "Buka loket" }).click();
  }
  await expect(shortCode).toHaveText(/[0-9A-Z]/);
  await expect(page.getByTestId("desk-qr").locator("svg")).toBeVisible();
  await checkAccessibility(page, "desk mode");

  const code = ((await shortCode.textContent()) ?? "").replace(/\s/g, "");
  const selfie = await selfieJpegBase64(page);
  const id = await register(request, citizen, code, selfie);
  const item = page.locator(`[data-testid=queue-item][data-registration-id="${id}"]`);
  await expect(item).toBeVisible({ timeout: 15_000 });
  await item.click();
  await expect(page.getByTestId("detail")).toHaveAttribute("data-registration-id", id);
  await expect(page.getByTestId("detail").locator("img")).toHaveCount(2);
  await checkAccessibility(page, "desk mode with a person");
  await shot(page, "desk-face-check");
  // T opens the reasons for a rejection; Escape closes them without deciding.
  await page.locator("body").click({ position: { x: 5, y: 5 } });
  await page.keyboard.press("t");
  await expect(page.locator("#reject-chooser")).toBeVisible();
  await checkAccessibility(page, "reject chooser");
  await page.keyboard.press("Escape");
  await expect(page.locator("#reject-chooser")).toHaveCount(0);
  await expect(item).toBeVisible();
  await page.locator("body").click({ position: { x: 5, y: 5 } });
  await page.keyboard.press("s");
  await expect(item).toHaveCount(0);
  expect(sql(`SELECT status FROM registrations WHERE id = '${id}'`)[0][0]).toBe("approved");

  // The home page tells the officer their own day (issue 13, item 16).
  const approvedToday = count(
    `SELECT COUNT(*) FROM registrations r JOIN officers o ON o.id = r.decided_by
     WHERE o.username = 'petugas.depok' AND r.status IN ('approved', 'activated')`,
  );
  await page.getByRole("link", { name: "IKD Petugas" }).click();
  await expect(page.getByTestId("my-day")).toContainText(`Hari ini Anda menyetujui ${approvedToday} `);
  await shot(page, "home-my-day");
});

test("supervisors see and manage the officers of their region", async ({ page, browser }) => {
  await logIn(page, "penyelia.depok", "demo-penyelia-2026");
  await page.getByRole("link", { name: "Petugas", exact: true }).first().click();
  await expect(page.getByRole("cell", { name: "petugas.depok" })).toBeVisible();
  // Regions by name, never a bare code (issue 13, item 16).
  const depokRow = page.locator('[data-testid="officer-row"][data-username="petugas.depok"]');
  await expect(depokRow).toContainText("Kota Depok");
  await expect(depokRow.getByRole("cell", { name: "32.76", exact: true })).toHaveCount(0);
  await checkAccessibility(page, "staff");
  await shot(page, "staff");

  // A new colleague, disabled only after a confirmation, then enabled again (item 12).
  await page.getByLabel("Nama pengguna").fill("budi.loket");
  await page.getByLabel("Nama lengkap").fill("Budi Loket");
  await page.getByLabel("Kode wilayah (mis. 32.76 atau 32.76.01)").fill("32.76");
  await page.getByLabel(/Kata sandi awal/).fill("loket-budi-2026");
  await page.getByRole("button", { name: "Tambah petugas" }).click();
  const row = page.locator('[data-testid="officer-row"][data-username="budi.loket"]');
  const disableButton = row.getByRole("button", { name: "Nonaktifkan Budi Loket" });
  const enableButton = row.getByRole("button", { name: "Aktifkan kembali Budi Loket" });
  await disableButton.click();
  await expect(row.getByRole("alert")).toContainText("Nonaktifkan Budi Loket?");
  await row.getByRole("button", { name: "Batal" }).click();
  await expect(disableButton).toBeVisible();
  await expect(enableButton).toHaveCount(0);
  await disableButton.click();
  await row.getByRole("button", { name: "Ya, nonaktifkan" }).click();
  await expect(enableButton).toBeVisible();
  await shot(page, "staff-disabled");

  // The disabled colleague is told why, once their password is right (item 14).
  const other = await (await browser.newContext({ viewport: { width: 1366, height: 768 }, isMobile: false, hasTouch: false })).newPage();
  await other.goto("/petugas/");
  await other.getByLabel("Nama pengguna").fill("budi.loket");
  await other.getByLabel("Kata sandi").fill("loket-budi-2026");
  await other.getByRole("button", { name: "Masuk" }).click();
  await expect(other.getByText("Akun petugas Anda dinonaktifkan")).toBeVisible();

  await enableButton.click();
  await expect(disableButton).toBeVisible();
  await other.getByRole("button", { name: "Masuk" }).click();
  // His first login enrols a second factor: an authenticator app, here computed by the test.
  await expect(other.getByRole("heading", { name: "Langkah kedua" })).toBeVisible();
  await other.getByRole("button", { name: "Pakai aplikasi autentikator" }).click();
  const secret = (await other.getByTestId("totp-secret").textContent()) ?? "";
  await other.getByLabel(/Kode 6 angka/).fill(totpFromSecret(secret));
  await other.getByRole("button", { name: "Konfirmasi dan masuk" }).click();
  await expect(other.getByTestId("recovery-codes").locator("li")).toHaveCount(10);
  await other.getByRole("button", { name: "Saya sudah menyimpan kode ini" }).click();
  await expect(other.getByRole("link", { name: "Dasbor", exact: true }).first()).toBeVisible();
});

test("the console in English: switched at login, remembered, every main screen and a refusal in English", async ({ page }) => {
  test.setTimeout(120_000);
  const html = page.locator("html");
  await page.goto("/petugas/");
  // Bahasa Indonesia first.
  await expect(page.getByRole("heading", { name: "Masuk petugas" })).toBeVisible();
  await expect(html).toHaveAttribute("lang", "id");
  const english = page.getByRole("button", { name: "English" });
  await expect(english).toHaveAttribute("aria-pressed", "false");
  // The switch works from the keyboard.
  await english.focus();
  await page.keyboard.press("Enter");
  await expect(english).toHaveAttribute("aria-pressed", "true");
  await expect(html).toHaveAttribute("lang", "en");
  await expect(page.getByRole("heading", { name: "Officer login" })).toBeVisible();
  await expect(page.getByLabel("Username")).toBeVisible();
  await checkAccessibility(page, "console login in English");

  // A refusal of the service, in English (its messageEn).
  await page.getByLabel("Username").fill("tidak.ada.petugas");
  await page.getByLabel("Password").fill("bukan-kata-sandinya");
  await page.getByRole("button", { name: "Log in", exact: true }).click();
  await expect(page.getByRole("alert")).toHaveText("Wrong username or password");
  await checkAccessibility(page, "console login refusal in English");
  await shot(page, "en-login-refused");

  // Remembered across a reload, <html lang> included.
  await page.reload();
  await expect(page.getByRole("heading", { name: "Officer login" })).toBeVisible();
  await expect(html).toHaveAttribute("lang", "en");

  await page.getByLabel("Username").fill("penyelia.depok");
  await page.getByLabel("Password").fill("demo-penyelia-2026");
  await page.getByRole("button", { name: "Log in", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Second step" })).toBeVisible();
  await checkAccessibility(page, "second step in English");
  await page.getByLabel(/6-digit code/).fill(demoTotpCode("penyelia.depok"));
  await page.getByRole("button", { name: "Continue" }).click();

  const nav = page.getByRole("navigation", { name: "Main menu" });
  const h1 = page.getByRole("heading", { level: 1 });

  // Home.
  await expect(h1).toHaveText("Home");
  await expect(page.getByText("Welcome,")).toBeVisible();
  await expect(page.getByTestId("my-day")).toContainText("Today you approved");
  await expect(page.getByRole("heading", { name: "Unlock attempts" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Log out" })).toBeVisible();
  await checkAccessibility(page, "home in English");
  await shot(page, "en-home");

  // Desk: the form to open one, or the open desk with its keyboard hints.
  await nav.getByRole("link", { name: "Desk", exact: true }).click();
  await expect(h1).toHaveText("Desk");
  await expect(page.getByRole("heading", { name: "Open a desk" }).or(page.getByRole("heading", { name: "Keyboard shortcuts" }))).toBeVisible();
  await checkAccessibility(page, "desk in English");

  // Drives.
  await nav.getByRole("link", { name: "Drives", exact: true }).click();
  await expect(h1).toHaveText("Registration drives");
  await expect(page.getByRole("heading", { name: "Create a drive" })).toBeVisible();
  await expect(page.getByLabel("Drive name")).toBeVisible();
  await checkAccessibility(page, "drives in English");

  // Dashboard: tabs, figures, chart labels and table headers.
  await nav.getByRole("link", { name: "Dashboard", exact: true }).click();
  await expect(h1).toHaveText("IKD progress dashboard");
  await expect(page.getByRole("button", { name: "By region" })).toBeVisible();
  await expect(page.getByTestId("dash-region")).toBeVisible();
  await expect(page.getByRole("columnheader", { name: "Eligible" })).toBeVisible();
  await expect(page.getByRole("columnheader", { name: "Share of target" })).toBeVisible();
  await expect(page.locator(".chart svg").first()).toContainText("Activated (% of those eligible)");
  await checkAccessibility(page, "dashboard in English");
  await shot(page, "en-dashboard");
  await page.getByRole("button", { name: "By drive" }).click();
  await expect(page.getByRole("heading", { name: "Progress per registration drive" })).toBeVisible();

  // Staff.
  await nav.getByRole("link", { name: "Staff", exact: true }).click();
  await expect(h1).toHaveText("Staff");
  await expect(page.getByRole("heading", { name: "Officer accounts" })).toBeVisible();
  await expect(page.getByRole("columnheader", { name: "Role" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Add an officer" })).toBeVisible();
  await checkAccessibility(page, "staff in English");

  // Audit trail.
  await nav.getByRole("link", { name: "Audit trail", exact: true }).click();
  await expect(h1).toHaveText("Audit trail");
  await expect(page.getByLabel("Date (UTC)")).toBeVisible();
  await expect(page.getByRole("columnheader", { name: "Action" })).toBeVisible();
  await checkAccessibility(page, "audit trail in English");
  await shot(page, "en-audit");

  // Still English after a reload while signed in; the top bar switches back.
  await page.reload();
  await expect(h1).toHaveText("Audit trail");
  await expect(html).toHaveAttribute("lang", "en");
  await page.getByRole("banner").getByRole("button", { name: "Bahasa Indonesia" }).click();
  await expect(html).toHaveAttribute("lang", "id");
  await expect(h1).toHaveText("Jejak audit");
  await expect(page.getByRole("navigation", { name: "Menu utama" }).getByRole("link", { name: "Loket", exact: true })).toBeVisible();
});
