// axe-core in the page under test: zero serious or critical violations allowed. The script is
// evaluated through the DevTools protocol (not a <script> tag or eval in the page), so the
// page's strict CSP stays in force for everything else.
import fs from "node:fs";
import { type Page, expect } from "@playwright/test";

const axeSource = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

export async function checkAccessibility(page: Page, label: string): Promise<void> {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (o: object) => Promise<{ violations: { id: string; impact: string; nodes: unknown[] }[] }> } }).axe;
    const result = await axe.run({ resultTypes: ["violations"] });
    return result.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.impact} ${v.id} (${v.nodes.length} nodes)`);
  });
  expect(violations, `accessibility of ${label}`).toEqual([]);
}
