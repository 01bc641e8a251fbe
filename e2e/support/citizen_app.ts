// A citizen with an account, made as a person gets one: registered through the API at an
// officer's desk, approved, then activated in the app up to the PIN (`approvedCitizen`,
// `activateUpToPin`, `setPin`, `openHome`). Shared by the citizen specs.
import { execFileSync } from "node:child_process";
import { type APIRequestContext, type Page, expect, request as playwrightRequest } from "@playwright/test";
import { register, selfieJpegBase64 } from "./citizen_api";
import { officerApiLogin } from "./officer";
import { latestEmailTo } from "./outbox";

const baseURL = process.env.IKD_BASE_URL ?? "";
const dataDir = process.env.IKD_E2E_DATA_DIR ?? "";
const ikd = process.env.IKD_BIN ?? "";
export const PASSWORD = "kuda-lari-di-sawah-42";
export const PIN = "482913";

export interface Citizen { nik: string; email: string; phone: string }

/** A registrable citizen from `ikd demo` (an adult with a recorded e-KTP, no account yet). */
export function demoCitizen(): Citizen {
  const out = execFileSync(ikd, ["demo", "--citizens", "1", "--data-dir", dataDir], { encoding: "utf8" });
  const match = out.match(/^\s+(\d{16})\s+(\S+@\S+)\s+(\d+)/m);
  if (!match) throw new Error(`no demo citizen in:\n${out}`);
  return { nik: match[1], email: match[2], phone: match[3] };
}

/** An officer's browser, logged in, with a desk of its own. */
export async function officerWithDesk(): Promise<{ officer: APIRequestContext; desk: number }> {
  const officer = await playwrightRequest.newContext({ baseURL });
  await officerApiLogin(officer, "petugas.depok", "demo-petugas-2026");
  const desk = await officer.post("/api/desks", { data: { kind: "desk", label: "Loket UX" } });
  expect(desk.status()).toBe(201);
  return { officer, desk: (await desk.json()).id };
}

export async function deskToken(officer: APIRequestContext, desk: number): Promise<{ qrText: string; shortCode: string }> {
  return (await officer.get(`/api/desks/${desk}/token`)).json();
}

export async function decide(officer: APIRequestContext, id: string, approve: boolean, reason?: string) {
  const answer = await officer.post(`/api/officer/registrations/${id}/decision`, { data: { approve, reason } });
  expect(answer.status(), await answer.text()).toBe(200);
}

/** Registered through the API and approved: the citizen and their emailed code. */
export async function approvedCitizen(page: Page): Promise<{ citizen: Citizen; code: string }> {
  const { officer, desk } = await officerWithDesk();
  const citizen = demoCitizen();
  const phone = await playwrightRequest.newContext({ baseURL });
  const id = await register(phone, citizen, (await deskToken(officer, desk)).qrText, await selfieJpegBase64(page));
  await decide(officer, id, true);
  // `ikd demo` may hand out someone an earlier test registered and had rejected: wait for
  // the mail with the code, not for any mail.
  let code = "";
  for (const deadline = Date.now() + 20_000; !code && Date.now() < deadline; ) {
    code = (await latestEmailTo(dataDir, citizen.email)).match(/kode=([0-9A-Z]{8})/)?.[1] ?? "";
    if (!code) await new Promise((resolve) => setTimeout(resolve, 300));
  }
  expect(code).toHaveLength(8);
  return { citizen, code };
}

/** Activates in the app, up to the "Buat PIN" screen. */
export async function activateUpToPin(page: Page, citizen: Citizen, code: string) {
  await page.goto("/aktivasi");
  await page.getByLabel("NIK").fill(citizen.nik);
  await page.getByLabel("Kode aktivasi (dari email)").fill(code);
  await page.getByLabel("Kata sandi baru").fill(PASSWORD);
  await page.getByLabel("Ulangi kata sandi").fill(PASSWORD);
  await page.getByRole("button", { name: "Aktifkan" }).click();
  await expect(page).toHaveURL(/\/pin\/baru$/, { timeout: 60_000 });
}

export async function setPin(page: Page) {
  await page.getByLabel("PIN", { exact: true }).fill(PIN);
  await page.getByLabel("Ulangi PIN").fill(PIN);
  await page.getByRole("button", { name: "Simpan PIN" }).click();
  await expect(page.locator(".menu")).toBeVisible({ timeout: 30_000 });
}

/** Opens the app as a person does after closing it: the PIN, then the menu. */
export async function openHome(page: Page) {
  await page.goto("/");
  await expect(page).toHaveURL(/\/buka$/, { timeout: 15_000 });
  await page.getByLabel("PIN", { exact: true }).fill(PIN);
  await page.getByRole("button", { name: "Buka" }).click();
  await expect(page.locator(".menu")).toBeVisible({ timeout: 15_000 });
}
