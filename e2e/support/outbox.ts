// Reads the service's email outbox (.eml files written by lettre) like a mail client would.
// Mail is queued in the database and sent by the service's worker a moment after the answer
// that queued it, so the reader waits for it as a person would wait for their inbox.
import fs from "node:fs";
import path from "node:path";

function emailsTo(dir: string, to: string): { at: number; text: string }[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith(".eml"))
    .map((name) => path.join(dir, name))
    .map((file) => ({ at: fs.statSync(file).mtimeMs, text: fs.readFileSync(file, "utf8") }))
    .filter((mail) => mail.text.includes(`To: ${to}`))
    .sort((a, b) => a.at - b.at);
}

/** The newest email to `to`, waiting up to `timeoutMs` for the first one to arrive. */
export async function latestEmailTo(dataDir: string, to: string, timeoutMs = 15_000): Promise<string> {
  const dir = path.join(dataDir, "outbox");
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const mails = emailsTo(dir, to);
    if (mails.length > 0) return mails[mails.length - 1].text;
    if (Date.now() > deadline) throw new Error(`no email to ${to} in ${dir}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The code of the newest "Kode pindah ponsel" email to `to` (moving to a new phone), waiting
 * for it as for any mail; `not` skips a code already read. */
export async function moveCodeTo(dataDir: string, to: string, not = "", timeoutMs = 20_000): Promise<string> {
  const dir = path.join(dataDir, "outbox");
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const mails = emailsTo(dir, to).filter((mail) => mail.text.includes("Kode pindah ponsel"));
    const code = mails.length > 0 ? mails[mails.length - 1].text.match(/Kode \/ code: ([0-9A-Z]{8})/)?.[1] : undefined;
    if (code && code !== not) return code;
    if (Date.now() > deadline) throw new Error(`no move code mailed to ${to} in ${dir}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
