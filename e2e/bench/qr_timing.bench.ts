// How fast the phone shows its QR (issue 16), at phone size (360×740, DPR 2):
//  - unlock: from tapping "Buka" with the PIN to the menu, then from tapping the QR tile to
//    the first QR drawn; at the CPU as it is and slowed 4× (CDP Emulation.setCPUThrottlingRate);
//  - one new QR: switching the profile (Dasar ↔ Lengkap) to the new QR drawn, which is one
//    `present` (the phone's countersignature, CBOR, zlib, Base45) plus the SVG, in wasm, at 4×.
// Times are taken in the page (performance.now, polled every animation frame).
import { type Page, test } from "@playwright/test";
import { PIN, activateUpToPin, approvedCitizen, setPin } from "../support/citizen_app";

const RUNS = 5;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Clicks `selector`'s first match in the page and waits until `done` matches: ms between. */
async function clickUntil(page: Page, selector: string, done: string, changedAttr?: string): Promise<number> {
  return page.evaluate(({ selector, done, changedAttr }) => new Promise<number>((resolve, reject) => {
    const before = changedAttr ? document.querySelector(done)?.getAttribute(changedAttr) : null;
    const target = document.querySelector(selector) as HTMLElement | null;
    if (!target) return reject(new Error(`no ${selector}`));
    const t0 = performance.now();
    target.click();
    const check = () => {
      const el = document.querySelector(done);
      const ready = el && (!changedAttr || el.getAttribute(changedAttr) !== before);
      if (ready) resolve(performance.now() - t0);
      else if (performance.now() - t0 > 60_000) reject(new Error(`no ${done} after 60 s`));
      else requestAnimationFrame(check);
    };
    check();
  }), { selector, done, changedAttr });
}

async function unlockToQr(page: Page): Promise<[number, number]> {
  await page.goto("/");
  await page.waitForURL(/\/buka$/);
  await page.getByLabel("PIN", { exact: true }).fill(PIN);
  const unlock = await clickUntil(page, "button[type=submit]", ".menu a[href=\"/qr\"]");
  const qr = await clickUntil(page, ".menu a[href=\"/qr\"]", "[data-testid=qr] .qr-code svg");
  return [unlock, qr];
}

test("QR timings at phone size", async ({ page }) => {
  const { citizen, code } = await approvedCitizen(page);
  await activateUpToPin(page, citizen, code);
  await setPin(page);
  const cdp = await page.context().newCDPSession(page);
  for (const rate of [1, 4]) {
    await cdp.send("Emulation.setCPUThrottlingRate", { rate });
    const unlocks: number[] = [];
    const firstQrs: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const [unlock, qr] = await unlockToQr(page);
      unlocks.push(unlock);
      firstQrs.push(qr);
    }
    console.log(`CPU ${rate}×: unlock (Buka → menu) median ${median(unlocks).toFixed(0)} ms [${unlocks.map((x) => x.toFixed(0)).join(", ")}]`);
    console.log(`CPU ${rate}×: QR tile → first QR drawn median ${median(firstQrs).toFixed(0)} ms [${firstQrs.map((x) => x.toFixed(0)).join(", ")}]`);
    console.log(`CPU ${rate}×: unlock → first QR (sum of medians) ${(median(unlocks) + median(firstQrs)).toFixed(0)} ms`);
    // One new QR: the profile buttons make one each.
    const perProfile: Record<string, number[]> = { Dasar: [], Lengkap: [] };
    for (let i = 0; i < RUNS; i++) {
      for (const [index, name] of [[2, "Dasar"], [1, "Lengkap"]] as const) {
        perProfile[name].push(await clickUntil(page, `.segmented button:nth-child(${index})`, "[data-testid=qr]", "data-qr-text"));
      }
    }
    for (const [name, xs] of Object.entries(perProfile)) {
      console.log(`CPU ${rate}×: one new QR (${name}: present + SVG) median ${median(xs).toFixed(0)} ms [${xs.map((x) => x.toFixed(0)).join(", ")}]`);
    }
  }
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: 1 });
});
