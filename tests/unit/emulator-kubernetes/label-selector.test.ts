import assert from 'node:assert/strict';
import { formatSelector, matchesMap, matchesRequirements, matchesSelector, parseSelector } from '../../../emulator/kubernetes/store/label-selector';

describe('Kubernetes label selectors', () => {
  it('parses and matches the query forms', () => {
    const labels = { app: 'web', tier: 'front', 'example.com/canary': 'true' };
    const cases: [string, boolean][] = [
      ['app=web', true],
      ['app==web', true],
      ['app!=web', false],
      ['app=db', false],
      ['app in (db,web)', true],
      ['app notin (db, web)', false],
      ['tier', true],
      ['!tier', false],
      ['!missing', true],
      ['missing!=x', true],
      ['example.com/canary=true,app=web', true],
      ['app=web,tier=back', false],
      ['', true],
    ];
    for (const [selector, expected] of cases) assert.equal(matchesRequirements(parseSelector(selector), labels), expected, selector);
  });

  it('rejects malformed selectors with a message naming the requirement', () => {
    assert.throws(() => parseSelector('app=(web'), /unable to parse requirement/);
    assert.throws(() => parseSelector('=web'), /unable to parse requirement/);
  });

  it('matches LabelSelector objects, the empty one matching everything', () => {
    const selector = { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['front', 'edge'] }] };
    assert.equal(matchesSelector(selector, { app: 'web', tier: 'edge' }), true);
    assert.equal(matchesSelector(selector, { app: 'web' }), false);
    assert.equal(matchesSelector({}, undefined), true);
    assert.throws(() => matchesSelector({ matchExpressions: [{ key: 'a', operator: 'Gt' }] }, {}), /not a valid label selector operator/);
  });

  it('matches Service selector maps and formats selectors as Kubernetes prints them', () => {
    assert.equal(matchesMap({ app: 'web' }, { app: 'web', x: 'y' }), true);
    assert.equal(matchesMap({ app: 'web' }, undefined), false);
    assert.equal(formatSelector({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['b', 'a'] }, { key: 'x', operator: 'Exists' }] }), 'app=web,tier notin (a,b),x');
  });
});
