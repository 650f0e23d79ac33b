import { strict as assert } from 'node:assert';
import { parseCliArguments } from '../../../emulator/cli-arguments';

describe('npm run local-azure: arguments', () => {
  it('reads --show-secrets, --help and the realistic-timing --pending-seconds (both forms)', () => {
    assert.deepEqual(parseCliArguments([]), { help: false, showSecrets: false, pendingInSeconds: 0 });
    assert.deepEqual(parseCliArguments(['--show-secrets', '--pending-seconds', '30']), { help: false, showSecrets: true, pendingInSeconds: 30 });
    assert.deepEqual(parseCliArguments(['--pending-seconds=2.5', '--help']), { help: true, showSecrets: false, pendingInSeconds: 2.5 });
  });

  it('refuses a bad number of seconds and unknown arguments, naming them and what is accepted', () => {
    assert.throws(() => parseCliArguments(['--pending-seconds']), /--pending-seconds must be a number of seconds, 0 or more; got ''\. Usage: npm run local-azure/);
    assert.throws(() => parseCliArguments(['--pending-seconds', '-1']), /got '-1'/);
    assert.throws(() => parseCliArguments(['--pending-seconds=soon']), /got 'soon'/);
    assert.throws(() => parseCliArguments(['--verbose']), /Unknown argument '--verbose'\. Usage: npm run local-azure \[-- --show-secrets\]/);
  });
});
