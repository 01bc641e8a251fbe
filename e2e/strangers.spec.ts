// Issue 14 in real Chromium: strangers who know a citizen's NIK fail at the password until the
// service asks unknown browsers for proof of work; the citizen, on a new phone, types the
// password once and the app solves the captcha by itself (never a lock); at the desk, an
// officer lifts the count from the console and the citizen's history names the officer.
import { execFileSync } from "node:child_process";
import { type APIRequestContext, expect, request as playwrightRequest, test } from "@playwright/test";
import { checkAccessibility } from "./support/axe";
import { register, selfieJpegBase64, solvedCaptcha } from "./support/citizen_api";
import { officerApiLogin, officerUiLogin } from "./support/officer";
import { latestEmailTo, moveCodeTo } from "./support/outbox";

const baseURL = process.env.IKD_BASE_URL ?? "";
const dataDir = process.env.IKD_E2E_DATA_DIR ?? "";
const ikd = process.env.IKD_BIN ?? "";
const PASSWORD = "kuda-lari-di-sawah-42";

interface Citizen { nik: string; email: string; phone: string }

function demoCitizen(): Citizen {
  const out = execFileSync(ikd, ["demo", "--citizens", "1", "--data-dir", dataDir], { encoding: "utf8" });
  const match = out.match(/^\s+(\d{16})\s+(\S+@\S+)\s+(\d+)/m);
  if (!match) throw new Error(`no demo citizen in:\n${out}`);
  return { nik: match[1], email: match[2], phone: match[3] };
}

/** A browser of its own: its own cookie jar, as a stranger's or an officer's would be. */
async function newBrowserContext(): Promise<APIRequestContext> {
  return playwrightRequest.newContext({ baseURL });
}

/** Registered, approved and activated through the API from the citizen's old phone. */
async function activatedCitizen(page: import("@playwright/test").Page): Promise<Citizen> {
  const officer = await newBrowserContext();
  await officerApiLogin(officer, "petugas.depok", "demo-petugas-2026");
  const desk = await officer.post("/api/desks", { data: { kind: "desk", label: "Loket orang asing" } });
  expect(desk.status()).toBe(201);
  const deskId = (await desk.json()).id;
  const token = (await (await officer.get(`/api/desks/${deskId}/token`)).json()).qrText;

  const phone = await newBrowserContext();
  const citizen = demoCitizen();
  const id = await register(phone, citizen, token, await selfieJpegBase64(page));
  const decision = await officer.post(`/api/officer/registrations/${id}/decision`, { data: { approve: true } });
  expect(decision.status()).toBe(200);
  const mail = await latestEmailTo(dataDir, citizen.email);
  expect(mail).toContain("/aktivasi#kode=");
  const code = mail.match(/#kode=([0-9A-Z]{8})/)?.[1] ?? "";
  const activation = await phone.post("/api/activation", {
    data: {
      nik: citizen.nik, code, password: PASSWORD, deviceId: "web-old-phone-0001",
      captcha: await solvedCaptcha(phone),
    },
  });
  expect(activation.status()).toBe(200);
  return citizen;
}

test("strangers' wrong passwords cost the citizen one captcha, never a lock; an officer lifts the count", async ({
  page,
  browser,
}) => {
  test.setTimeout(180_000);
  await page.goto("/");
  const citizen = await activatedCitizen(page);

  // Ten strangers' tries, then every further one needs proof of work.
  const stranger = await newBrowserContext();
  const attempt = () => stranger.post("/api/session", {
    data: { identifier: citizen.nik, password: "bukan-sandinya-123", deviceId: "web-stranger-0001", replaceDevice: true },
  });
  for (let n = 0; n < 10; n++) expect((await attempt()).status()).toBe(401);
  const slowed = await attempt();
  expect(slowed.status()).toBe(429);
  expect((await slowed.json()).code).toBe("captcha-required");

  // The citizen's new phone: the app solves the captcha itself and logs in.
  await page.goto("/masuk");
  await page.getByLabel("NIK atau email").fill(citizen.nik);
  await page.getByLabel("Kata sandi").fill(PASSWORD);
  await page.getByRole("button", { name: "Masuk" }).click();
  await expect(page.getByRole("alertdialog")).toContainText("Ganti perangkat?", { timeout: 60_000 });
  await checkAccessibility(page, "masuk: ganti perangkat");
  await page.getByRole("button", { name: "Ya, gunakan perangkat ini" }).click();
  // Moving phones takes the code emailed to the account (issue 18).
  const moveCode = await moveCodeTo(dataDir, citizen.email);
  await page.getByLabel("Kode dari email").fill(moveCode);
  await page.getByRole("button", { name: "Pindahkan ke ponsel ini" }).click();
  await expect(page).toHaveURL(/\/pin\/baru$/, { timeout: 60_000 });

  // At the desk: the officer lifts the count from the console (laptop size).
  const consoleContext = await browser.newContext({ viewport: { width: 1366, height: 768 }, isMobile: false, hasTouch: false });
  const consolePage = await consoleContext.newPage();
  await consolePage.goto("/petugas/");
  await officerUiLogin(consolePage, "petugas.depok", "demo-petugas-2026");
  await consolePage.getByLabel("NIK warga (periksa KTP-nya dulu)").fill(citizen.nik);
  await checkAccessibility(consolePage, "console: buka kunci");
  await consolePage.getByRole("button", { name: "Buka kunci" }).click();
  await expect(consolePage.getByText(`Batas percobaan untuk NIK ${citizen.nik} dibuka`)).toBeVisible();
  await consoleContext.close();

  // Unknown browsers log in without a captcha again, and the history names the officer.
  const fresh = await newBrowserContext();
  const again = await fresh.post("/api/session", {
    data: { identifier: citizen.nik, password: PASSWORD, deviceId: "web-third-phone01", replaceDevice: true },
  });
  expect(again.status()).toBe(202);
  const moved = await fresh.post("/api/session/move", {
    data: { code: await moveCodeTo(dataDir, citizen.email, moveCode) },
  });
  expect(moved.status(), await moved.text()).toBe(200);
  const history = await (await fresh.get("/api/activity")).json();
  const lifted = history.find((entry: { kind: string }) => entry.kind === "locks-lifted");
  expect(lifted?.actor).toMatch(/^petugas:\d+$/);
});
