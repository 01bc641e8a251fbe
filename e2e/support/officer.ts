// Officers log in with a password and a second factor (issue 15). The demo officers have an
// authenticator-app secret that `ikd demo` enrolled; `ikd officer totp-code` prints the code to
// type now (demo data only), as the app on the officer's phone would show it.
import { execFileSync } from "node:child_process";
import crypto from "node:crypto";
import { type APIRequestContext, type Page, expect } from "@playwright/test";

const ikd = process.env.IKD_BIN ?? "";
const dataDir = process.env.IKD_E2E_DATA_DIR ?? "";

/** The current code of an enrolled officer, from `ikd officer totp-code`. */
export function demoTotpCode(username: string): string {
  if (!ikd || !dataDir) throw new Error("IKD_BIN and IKD_E2E_DATA_DIR are set by `cargo xtask test`");
  return execFileSync(ikd, ["officer", "totp-code", "--username", username, "--data-dir", dataDir], {
    encoding: "utf8",
  }).trim();
}

/** RFC 6238 (SHA-1, 6 digits, 30 s) from a base32 secret: an authenticator app of our own. */
export function totpFromSecret(base32: string, unixSeconds = Date.now() / 1000): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const c of base32.replace(/=+$/, "").toUpperCase()) {
    bits += alphabet.indexOf(c).toString(2).padStart(5, "0");
  }
  const bytes = Buffer.from(bits.match(/.{8}/g)!.map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(unixSeconds / 30)));
  const digest = crypto.createHmac("sha1", bytes).update(counter).digest();
  const offset = digest[digest.length - 1] & 0x0f;
  const code = (digest.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return String(code).padStart(6, "0");
}

/** `name=value` of a cookie a response set. */
export function cookieOf(setCookie: string | undefined, name: string): string {
  const pair = (setCookie ?? "").split(/\n|, (?=[A-Za-z_-]+=)/).find((c) => c.startsWith(`${name}=`));
  if (!pair) throw new Error(`no ${name} cookie in ${setCookie}`);
  return pair.split(";")[0];
}

/** Password, then the demo officer's TOTP code, through the API: the session cookie. */
export async function officerApiLogin(request: APIRequestContext, username: string, password: string): Promise<string> {
  const login = await request.post("/api/officer/session", { data: { username, password } });
  expect(login.status()).toBe(200);
  const step = cookieOf(login.headers()["set-cookie"], "__Host-ikd_petugas_langkah");
  const second = await request.post("/api/officer/second-factor/totp", {
    data: { code: demoTotpCode(username) },
    headers: { cookie: step },
  });
  expect(second.status(), await second.text()).toBe(200);
  return cookieOf(second.headers()["set-cookie"], "__Host-ikd_petugas");
}

/** The console's login form, then the code from the officer's authenticator app (by default
 * the demo officer's on the server under test). */
export async function officerUiLogin(
  page: Page,
  username: string,
  password: string,
  code: () => string = () => demoTotpCode(username),
): Promise<void> {
  await page.getByLabel("Nama pengguna").fill(username);
  await page.getByLabel("Kata sandi").fill(password);
  await page.getByRole("button", { name: "Masuk" }).click();
  await expect(page.getByRole("heading", { name: "Langkah kedua" })).toBeVisible();
  await page.getByLabel(/Kode 6 angka/).fill(code());
  await page.getByRole("button", { name: "Lanjut" }).click();
}
