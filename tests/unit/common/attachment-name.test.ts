import { strict as assert } from 'node:assert';
import { attachmentName } from '../../../tasks/common/task-runtime';

describe('attachmentName (summary names a Windows agent accepts)', () => {
  it('replaces every character invalid in a Windows file name, so no agent refuses the attachment', () => {
    assert.equal(attachmentName('Azure Container Instances: iris'), 'Azure Container Instances- iris');
    assert.equal(attachmentName('a/b\\c*d?e"f<g>h|i\tj'), 'a-b-c-d-e-f-g-h-i-j');
    assert.equal(attachmentName('Smoke test'), 'Smoke test');
    assert.equal(attachmentName(':'), '-');
  });
});
