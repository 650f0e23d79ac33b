/**
 * `npx tsx scripts/readme-inputs.ts [--write]`: each task's inputs (and output variables) table in
 * README.md, generated from its task.json between `<!-- inputs:<Task>:start -->` and
 * `<!-- inputs:<Task>:end -->` (and `outputs:` markers where present). Without --write it only checks,
 * and fails when a table is stale or missing.
 */
import * as fs from 'node:fs';
import { README, checkReadme } from './readme/sections';

function main(): void {
  if (!fs.existsSync(README)) {
    console.error('README.md does not exist.');
    process.exitCode = 1;
    return;
  }
  const { updated, problems } = checkReadme(fs.readFileSync(README, 'utf8'));
  const missingMarkers = problems.filter((problem) => problem.includes('markers'));
  if (process.argv.includes('--write')) {
    fs.writeFileSync(README, updated);
    console.log(problems.length - missingMarkers.length > 0 ? 'README.md: tables updated.' : 'README.md: tables already up to date.');
    for (const problem of missingMarkers) console.error(problem);
    process.exitCode = missingMarkers.length > 0 ? 1 : 0;
    return;
  }
  for (const problem of problems) console.error(problem);
  if (problems.length > 0) console.error("Run 'npx tsx scripts/readme-inputs.ts --write' to regenerate the tables.");
  else console.log('README.md: inputs tables are up to date.');
  process.exitCode = problems.length > 0 ? 1 : 0;
}

main();
