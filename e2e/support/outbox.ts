// Reads the service's email outbox (.eml files written by lettre) like a mail client would.
import fs from "node:fs";
import path from "node:path";

export function latestEmailTo(dataDir: string, to: string): string {
  const dir = path.join(dataDir, "outbox");
  const mails = fs
    .readdirSync(dir)
    .filter((name) => name.endsWith(".eml"))
    .map((name) => path.join(dir, name))
    .map((file) => ({ file, at: fs.statSync(file).mtimeMs, text: fs.readFileSync(file, "utf8") }))
    .filter((mail) => mail.text.includes(`To: ${to}`))
    .sort((a, b) => a.at - b.at);
  if (mails.length === 0) throw new Error(`no email to ${to} in ${dir}`);
  return mails[mails.length - 1].text;
}
