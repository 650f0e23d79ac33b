import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ALL_SUITES, MAIN_LANES, NODE24_LANES, NODE24_SUITES, planLanes } from '../../../scripts/test/lane-plan';

const ROOT = path.resolve(__dirname, '..', '..', '..');

function testFilesUnder(folder: string): string[] {
  const full = path.join(ROOT, folder);
  if (!fs.existsSync(full)) return [];
  return fs.readdirSync(full, { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.test.ts')).map((name) => `${folder}/${name}`);
}

describe('npm test lanes: which file runs where', () => {
  it('puts a file in the lane whose prefix matches it longest', () => {
    const specs = [
      { name: 'matrix', prefixes: ['tests/reliability/fault-matrix-build.test.ts'] },
      { name: 'reliability', prefixes: ['tests/reliability/'] },
      { name: 'rest', prefixes: ['tests/'] },
    ];
    const files = ['tests/reliability/fault-matrix-build.test.ts', 'tests/reliability/races.test.ts', 'tests/unit/a.test.ts'];
    assert.deepEqual(planLanes(files, specs), {
      lanes: [
        { name: 'matrix', files: ['tests/reliability/fault-matrix-build.test.ts'] },
        { name: 'reliability', files: ['tests/reliability/races.test.ts'] },
        { name: 'rest', files: ['tests/unit/a.test.ts'] },
      ],
      unplaced: [],
    });
  });

  it('drops lanes with no files and returns the files no lane takes', () => {
    const { lanes, unplaced } = planLanes(['scripts/x.test.ts', 'tests/unit/a.test.ts'], [{ name: 'e2e', prefixes: ['tests/e2e/'] }, { name: 'unit', prefixes: ['tests/unit/'] }]);
    assert.deepEqual(lanes, [{ name: 'unit', files: ['tests/unit/a.test.ts'] }]);
    assert.deepEqual(unplaced, ['scripts/x.test.ts']);
  });

  it('runs every test file of the repository exactly once on the machine\'s Node, and the Node 24 suites once on Node 24', () => {
    const all = ALL_SUITES.flatMap((suite) => testFilesUnder(`tests/${suite}`));
    const main = planLanes(all, MAIN_LANES);
    assert.deepEqual(main.unplaced, []);
    assert.deepEqual(main.lanes.flatMap((lane) => lane.files).sort(), [...all].sort());
    const node24Files = NODE24_SUITES.flatMap((suite) => testFilesUnder(`tests/${suite}`));
    const node24 = planLanes(node24Files, NODE24_LANES);
    assert.deepEqual(node24.unplaced, []);
    assert.deepEqual(node24.lanes.flatMap((lane) => lane.files).sort(), [...node24Files].sort());
  });
});
