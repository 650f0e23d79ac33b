import * as assert from 'node:assert/strict';
import { exclusivelyOurs } from '../../../scripts/pipeline/registry-images';

describe('exclusivelyOurs (whose untagged descendants a clean-up may remove)', () => {
  it('takes the images tagged only under this run\'s login servers, not a shared base that also has a tag of its own', () => {
    const rows = [
      { id: 'sha256:app', reference: '127.0.0.1:5001/models/app:1' },
      { id: 'sha256:app', reference: '127.0.0.1:5001/models/app:latest' },
      { id: 'sha256:base', reference: '127.0.0.1:5001/base:1' },
      { id: 'sha256:base', reference: 'amd-demo-base:1' },
      { id: 'sha256:old', reference: '127.0.0.1:5001/models/app:<none>' },
      { id: 'sha256:other', reference: '127.0.0.1:6002/models/app:1' },
      { id: 'sha256:dangling', reference: '<none>:<none>' },
    ];
    assert.deepEqual([...exclusivelyOurs(rows, ['127.0.0.1:5001'])].sort(), ['sha256:app', 'sha256:old']);
  });
});
