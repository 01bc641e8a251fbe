// A Y4M video file for Chromium's fake camera (--use-file-for-fake-video-capture): one
// picture with a simple face on the left and a QR code on the right, so the same camera
// serves the selfie and the desk-QR scan.
import fs from "node:fs";
import type { Page } from "@playwright/test";
import QRCode from "qrcode";

const W = 640;
const H = 480;

export async function writeCameraFile(file: string, qrText: string): Promise<void> {
  const y = Buffer.alloc(W * H, 225);
  const set = (x: number, row: number, value: number) => {
    if (x >= 0 && x < W && row >= 0 && row < H) y[row * W + x] = value;
  };
  // A face: skin-toned oval, darker eyes and mouth.
  for (let row = 0; row < H; row++) {
    for (let x = 0; x < W / 2; x++) {
      const face = ((x - 150) / 95) ** 2 + ((row - 240) / 125) ** 2 <= 1;
      if (face) set(x, row, 160);
      const eye = ((x - 115) / 14) ** 2 + ((row - 205) / 9) ** 2 <= 1 || ((x - 185) / 14) ** 2 + ((row - 205) / 9) ** 2 <= 1;
      const mouth = ((x - 150) / 40) ** 2 + ((row - 300) / 8) ** 2 <= 1;
      if (eye || mouth) set(x, row, 40);
    }
  }
  // The QR, black on white with a quiet zone, about 300 px wide.
  const qr = QRCode.create(qrText, { errorCorrectionLevel: "M" });
  const size = qr.modules.size;
  const scale = Math.floor(300 / (size + 8));
  const ox = W / 2 + Math.floor((W / 2 - (size + 8) * scale) / 2);
  const oy = Math.floor((H - (size + 8) * scale) / 2);
  for (let row = 0; row < (size + 8) * scale; row++) {
    for (let col = 0; col < (size + 8) * scale; col++) {
      const r = Math.floor(row / scale) - 4;
      const c = Math.floor(col / scale) - 4;
      const dark = r >= 0 && c >= 0 && r < size && c < size && qr.modules.get(r, c);
      set(ox + col, oy + row, dark ? 16 : 235);
    }
  }
  const chroma = Buffer.alloc((W / 2) * (H / 2), 128);
  const frame = Buffer.concat([Buffer.from("FRAME\n"), y, chroma, chroma]);
  const header = Buffer.from(`YUV4MPEG2 W${W} H${H} F15:1 Ip A1:1 C420jpeg\n`);
  fs.writeFileSync(file, Buffer.concat([header, frame, frame]));
}

/**
 * A Y4M video file whose one picture is `png` (a screenshot, e.g. of the phone's QR on a
 * 360 px screen), grey, centred on a white 960×960 frame: what a second phone's camera sees
 * when held to the first one's screen. Whole pixels per screen pixel, never a blurring
 * fraction: it shrinks by halves only, without smoothing. The PNG is decoded by `page`'s own
 * canvas, so no image library is needed.
 */
export async function writeCameraFileFromPng(page: Page, file: string, png: Buffer): Promise<void> {
  const side = 960;
  const grey: number[] = await page.evaluate(async ({ data, side }) => {
    // Not fetch(data:…): the app's CSP allows no such connection.
    const binary = atob(data);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    const bitmap = await createImageBitmap(new Blob([bytes], { type: "image/png" }));
    const canvas = new OffscreenCanvas(side, side);
    const g = canvas.getContext("2d");
    if (!g) throw new Error("no 2d context");
    g.fillStyle = "#fff";
    g.fillRect(0, 0, side, side);
    let scale = 1;
    while (Math.max(bitmap.width, bitmap.height) * scale > side - 40) scale /= 2;
    g.imageSmoothingEnabled = false;
    const w = Math.round(bitmap.width * scale);
    const h = Math.round(bitmap.height * scale);
    g.drawImage(bitmap, Math.round((side - w) / 2), Math.round((side - h) / 2), w, h);
    const rgba = g.getImageData(0, 0, side, side).data;
    const out: number[] = new Array(side * side);
    for (let i = 0; i < side * side; i++) {
      out[i] = Math.round(0.299 * rgba[4 * i] + 0.587 * rgba[4 * i + 1] + 0.114 * rgba[4 * i + 2]);
    }
    return out;
  }, { data: png.toString("base64"), side });
  const chroma = Buffer.alloc((side / 2) * (side / 2), 128);
  const frame = Buffer.concat([Buffer.from("FRAME\n"), Buffer.from(grey), chroma, chroma]);
  const header = Buffer.from(`YUV4MPEG2 W${side} H${side} F15:1 Ip A1:1 C420jpeg\n`);
  fs.writeFileSync(file, Buffer.concat([header, frame, frame]));
}
