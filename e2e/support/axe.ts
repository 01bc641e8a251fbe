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
    return result.violations.map((v) => ({ impact: v.impact, text: `${v.impact} ${v.id} (${v.nodes.length} nodes)` }));
  });
  // Moderate and minor findings do not fail the test; they are listed for people to fix.
  const lesser = violations.filter((v) => v.impact !== "serious" && v.impact !== "critical");
  if (lesser.length) console.log(`axe, ${label}: ${lesser.map((v) => v.text).join("; ")}`);
  expect(
    violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.text),
    `accessibility of ${label}`,
  ).toEqual([]);
}
