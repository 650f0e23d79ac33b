import assert from 'node:assert/strict';
import { canonicalQuantity } from '../../../emulator/kubernetes/openapi/quantity';

describe('Kubernetes quantities', () => {
  it('canonicalises as the API server returns them', () => {
    const cases: [string, string][] = [
      ['0.5', '500m'],
      ['1.5', '1500m'],
      ['1000m', '1'],
      ['100m', '100m'],
      ['2000', '2k'],
      ['128974848', '128974848'],
      ['1024Mi', '1Gi'],
      ['1536Mi', '1536Mi'],
      ['0.5Gi', '512Mi'],
      ['512Ki', '512Ki'],
      ['0.5Ki', '512'],
      ['256Mi', '256Mi'],
      ['1e3', '1e3'],
      ['0', '0'],
      ['0.0000000001', '1n'],
      ['-250m', '-250m'],
    ];
    for (const [input, expected] of cases) assert.equal(canonicalQuantity(input), expected, input);
  });

  it('rejects what is not a quantity', () => {
    for (const input of ['abc', '1.2.3', '', '5 Mi', '1Zi']) assert.equal(canonicalQuantity(input), undefined, input);
  });
});
