import * as assert from 'node:assert/strict';
import { newClientSecret } from '../../../emulator/identity/spec/client-secret';

describe('local Entra ID: client secrets in the shape Entra ID issues', () => {
  it('gives 40 characters: three, a digit, Q~, 34 more; never a leading "-" that a command line would read as an option', () => {
    const secrets = Array.from({ length: 2000 }, newClientSecret);
    for (const secret of secrets) assert.match(secret, /^[A-Za-z0-9_~.]{3}\dQ~[A-Za-z0-9_~.-]{34}$/);
    assert.equal(new Set(secrets).size, secrets.length, 'each secret is new');
    assert.ok(secrets.some((secret) => secret.slice(6).includes('-')), 'the body uses the whole alphabet, "-" included');
  });
});
