// A Y4M video file for Chromium's fake camera (--use-file-for-fake-video-capture): one
// picture with a simple face on the left and a QR code on the right, so the same camera
// serves the selfie and the desk-QR scan.
import fs from "node:fs";
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
