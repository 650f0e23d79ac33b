import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { CLASS_NAMES, parseIrisCsv } from '../../../examples/model-app/train/iris-dataset';
import { DATA_FILE } from './app-paths';

describe('example: Iris dataset', () => {
  const data = parseIrisCsv(readFileSync(DATA_FILE, 'utf8'));

  it('holds 150 flowers, 50 of each species, in the original order', () => {
    assert.equal(data.features.length, 150);
    CLASS_NAMES.forEach((_, k) => {
      assert.deepEqual(data.labels.slice(50 * k, 50 * k + 50), new Array<number>(50).fill(k));
    });
  });

  it('matches the published per-species means (Fisher 1936)', () => {
    const published = [
      [5.006, 3.428, 1.462, 0.246],
      [5.936, 2.77, 4.26, 1.326],
      [6.588, 2.974, 5.552, 2.026],
    ];
    published.forEach((means, k) => {
      const rows = data.features.slice(50 * k, 50 * k + 50);
      means.forEach((mean, j) => {
        const actual = rows.reduce((sum, row) => sum + (row[j] ?? NaN), 0) / rows.length;
        assert.ok(Math.abs(actual - mean) < 5e-4, `${CLASS_NAMES[k]} feature ${j}: mean ${actual}, published ${mean}`);
      });
    });
  });

  it('has the corrected rows 35 and 38 and the known duplicate (row 143 = row 102)', () => {
    assert.deepEqual(data.features[34], [4.9, 3.1, 1.5, 0.2]);
    assert.deepEqual(data.features[37], [4.9, 3.6, 1.4, 0.1]);
    assert.deepEqual(data.features[142], data.features[101]);
  });

  it('rejects a malformed file with the line number', () => {
    const header = 'sepal_length_cm,sepal_width_cm,petal_length_cm,petal_width_cm,species';
    assert.throws(() => parseIrisCsv(`${header}\n5.1,3.5,1.4,0.2,setosa\n5.1,x,1.4,0.2,setosa\n`), /line 3/);
    assert.throws(() => parseIrisCsv(`${header}\n5.1,3.5,1.4,0.2,rose\n`), /line 2/);
    assert.throws(() => parseIrisCsv('a,b\n'), /header/);
  });
});
