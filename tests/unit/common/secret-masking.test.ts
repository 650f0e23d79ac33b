import { strict as assert } from 'node:assert';
import { checkSecretValue } from '../../../tasks/common/secret-inputs';
import { maskSecrets } from '../../../tasks/common/secret-masking';

describe('secret masking in files a task writes', () => {
  const secret = 'Zq9-distinct-s3cret/+=';
  it('masks the secret plain, URL-encoded, JSON-escaped and base64 (at every alignment)', () => {
    const texts = [
      `echo ${secret}!`,
      `?key=${encodeURIComponent(secret)}&x=1`,
      JSON.stringify({ echoed: `a"${secret}` }),
      `<failure message="${secret.replace(/&/g, '&amp;')}"/>`,
      `Basic ${Buffer.from(`user:${secret}`).toString('base64')}`,
      `Basic ${Buffer.from(`us:${secret}`).toString('base64')}`,
      `Basic ${Buffer.from(`u:${secret}`).toString('base64')}`,
      Buffer.from(secret).toString('base64'),
    ];
    for (const text of texts) {
      const masked = maskSecrets(text, [secret]);
      assert.ok(masked.includes('***'), `nothing masked in ${text}`);
      assert.ok(!masked.includes(secret) && !masked.includes(encodeURIComponent(secret)), masked);
      // Whatever base64 is left must no longer decode to the secret.
      for (const word of masked.split(/[\s"?&=]+/)) assert.ok(!Buffer.from(word, 'base64').toString('latin1').includes(secret), `${text} -> ${masked}`);
    }
  });

  it('leaves other text alone and ignores very short values', () => {
    assert.equal(maskSecrets('nothing to see', [secret, 'ab']), 'nothing to see');
  });
});

describe('secret input values', () => {
  it("refuses an unexpanded $(name) macro, naming the input and the variable, never the value", () => {
    assert.throws(() => checkSecretValue('apiKey', '$(endpointKey)'), /Input 'apiKey' holds the macro '\$\(endpointKey\)'.*Define the secret variable 'endpointKey'/);
    assert.throws(() => checkSecretValue('secureEnvironmentVariables', 'pre-$(db.password)', "the value of 'DB'"), /Input 'secureEnvironmentVariables': the value of 'DB' holds the macro '\$\(db\.password\)'/);
  });
  it('refuses an empty secret', () => {
    assert.throws(() => checkSecretValue('bearerToken', '  '), /Input 'bearerToken' is empty/);
  });
  it('accepts a real value', () => {
    assert.equal(checkSecretValue('apiKey', 'k-123$'), 'k-123$');
  });
});
