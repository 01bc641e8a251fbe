// Registering citizens through the API, as their phones would: the captcha solved in Node
// (the same proof of work the PWA does in wasm) and a JPEG selfie drawn in a canvas.
import crypto from "node:crypto";
import { type APIRequestContext, type Page, expect } from "@playwright/test";

interface Challenge {
  algorithm: string;
  challenge: string;
  maxNumber: number;
  salt: string;
  signature: string;
}

export async function solvedCaptcha(request: APIRequestContext): Promise<object> {
  const answer = await request.post("/api/captcha", { data: {} });
  expect(answer.status()).toBe(200);
  const c = (await answer.json()) as Challenge;
  for (let n = 0; n <= c.maxNumber; n++) {
    if (crypto.createHash("sha256").update(c.salt + ":" + n).digest("hex") === c.challenge) {
      return { algorithm: c.algorithm, challenge: c.challenge, number: n, salt: c.salt, signature: c.signature };
    }
  }
  throw new Error("captcha not solvable");
}

/** A small JPEG face-like picture, base64, drawn by the browser. */
export async function selfieJpegBase64(page: Page): Promise<string> {
  const dataUrl = await page.evaluate(() => {
    const canvas = document.createElement("canvas");
    canvas.width = 240;
    canvas.height = 320;
    const g = canvas.getContext("2d");
    if (!g) throw new Error("no 2d context");
    g.fillStyle = "#9ec5e8";
    g.fillRect(0, 0, 240, 320);
    g.fillStyle = "#d8a47f";
    g.beginPath();
    g.ellipse(120, 150, 70, 90, 0, 0, Math.PI * 2);
    g.fill();
    return canvas.toDataURL("image/jpeg", 0.8);
  });
  return dataUrl.replace(/^data:image\/jpeg;base64,/, "");
}

export interface Registrant {
  nik: string;
  email: string;
  phone: string;
}

/** Registers one person with a desk token; returns the registration id. */
export async function register(
  request: APIRequestContext,
  who: Registrant,
  deskToken: string,
  selfie: string,
): Promise<string> {
  const answer = await request.post("/api/registrations", {
    data: {
      nik: who.nik,
      email: who.email,
      phone: who.phone,
      selfieJpeg: selfie,
      deskToken,
      captcha: await solvedCaptcha(request),
    },
  });
  const body = await answer.json();
  expect(answer.status(), JSON.stringify(body)).toBe(202);
  return body.registrationId;
}
