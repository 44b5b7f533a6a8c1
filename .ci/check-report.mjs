// Fails when the vitest JSON report shows a skipped, pending or todo test, or no test at all,
// and prints the plain closing line CI reads.
import { readFileSync } from 'node:fs';

const report = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const skipped = [];
for (const file of report.testResults ?? []) {
  for (const t of file.assertionResults ?? []) {
    if (!['passed', 'failed'].includes(t.status)) skipped.push(`${file.name}: ${t.fullName} (${t.status})`);
  }
}
const passed = report.numPassedTests ?? 0;
const failed = report.numFailedTests ?? 0;
for (const line of skipped) console.error(`skipped: ${line}`);
console.log(`${passed} passed, ${failed} failed, ${skipped.length} skipped`);
if (skipped.length > 0 || passed === 0) process.exit(1);
