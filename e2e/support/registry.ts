// Reads the test server's SQLite database with the sqlite3 shell: the ground truth the console
// is checked against (never the service's own API).
import { execFileSync } from "node:child_process";

const database = process.env.IKD_E2E_DATABASE ?? "";

/** Rows of a query, as arrays of strings (sqlite3 -separator '|'). */
export function sql(query: string): string[][] {
  if (!database) throw new Error("IKD_E2E_DATABASE is not set: run with `cargo xtask test`");
  const out = execFileSync("sqlite3", ["-readonly", "-separator", "|", database, query], {
    encoding: "utf8",
  });
  return out
    .split("\n")
    .filter((line) => line.length > 0)
    .map((line) => line.split("|"));
}

/** A single number. */
export function count(query: string): number {
  return Number(sql(query)[0][0]);
}

/** The day 17 years ago (UTC): people born on or before it must hold a KTP. */
export function ktpAgeCutoff(now = new Date()): string {
  const y = now.getUTCFullYear() - 17;
  const m = String(now.getUTCMonth() + 1).padStart(2, "0");
  const d = String(now.getUTCDate()).padStart(2, "0");
  return `${y}-${m}-${d}`;
}
