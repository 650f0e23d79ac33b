import * as assert from 'node:assert/strict';
import { escapeCharacter, withLabelStep } from '../../../tasks/BuildAndPushAiImageV1/src/label-step';

describe('withLabelStep (the legacy builder\'s labels in one step)', () => {
  it('appends one LABEL instruction, every key and value quoted, with no variable expansion', () => {
    const labels = { 'ai.model.files': '[{"path":"model/w.bin","size":3}]', price: '$5 \\ each', 'org.opencontainers.image.url': 'https://x/_build?buildId=1' };
    assert.equal(
      withLabelStep('FROM scratch\nCOPY a /a', labels),
      'FROM scratch\nCOPY a /a\nLABEL "ai.model.files"="[{\\"path\\":\\"model/w.bin\\",\\"size\\":3}]" "price"="\\$5 \\\\ each" "org.opencontainers.image.url"="https://x/_build?buildId=1"\n',
    );
  });

  it("follows the Dockerfile's escape directive", () => {
    assert.equal(escapeCharacter('# escape=`\nFROM scratch\n'), '`');
    assert.equal(escapeCharacter('FROM scratch\n# escape=`\n'), '\\', 'a directive only counts at the top');
    assert.equal(withLabelStep('# escape=`\nFROM scratch\n', { a: 'C:\\x "y" $z' }), '# escape=`\nFROM scratch\nLABEL "a"="C:\\x `"y`" `$z"\n');
  });

  it('gives up (the labels stay --label) on a line break in a value or a Dockerfile ending in a continued line', () => {
    assert.equal(withLabelStep('FROM scratch\n', { a: 'one\ntwo' }), undefined);
    assert.equal(withLabelStep('FROM scratch\nRUN echo \\\n', { a: 'b' }), undefined);
    assert.equal(withLabelStep('FROM scratch\n', {}), 'FROM scratch\n');
  });
});
