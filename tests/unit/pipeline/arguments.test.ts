import assert from 'node:assert/strict';
import { DEFAULT_PIPELINE, parseArguments } from '../../../scripts/pipeline/arguments';

describe('local pipeline runner: command line', () => {
  it('defaults to the example pipeline', () => {
    assert.deepEqual(parseArguments([], {}), { pipelineFile: DEFAULT_PIPELINE, variables: {}, secrets: {}, connections: {}, strict: false, keep: false, help: false });
  });

  it('reads a pipeline file, variables, secrets, connections and --keep', () => {
    const parsed = parseArguments(['my.yml', '--var', 'a=1=2', '--var=b=', '--secret', 'key=s3cret', '--secret', 'TOKEN', '--connection', 'prod=spnkey', '--keep'], { TOKEN: 'from-env' });
    assert.deepEqual(parsed, {
      pipelineFile: 'my.yml',
      variables: { a: '1=2', b: '' },
      secrets: { key: 's3cret', TOKEN: 'from-env' },
      connections: { prod: 'spnKey' },
      strict: false,
      keep: true,
      help: false,
    });
  });

  it('takes any connection name Azure DevOps takes (hyphens, spaces, dots, "="), the pull-only identity as a kind, and --strict', () => {
    const parsed = parseArguments(['--connection', 'sc-pricing-prod=spnCertificate', '--connection', 'Azure (prod) models.eu=spnPullOnly', '--connection=a=b=WorkloadIdentity', '--strict'], {});
    assert.deepEqual(parsed.connections, { 'sc-pricing-prod': 'spnCertificate', 'Azure (prod) models.eu': 'spnPullOnly', 'a=b': 'workloadIdentity' });
    assert.equal(parsed.strict, true);
  });

  const errors: [string[], RegExp][] = [
    [['--frobnicate'], /Unknown option '--frobnicate'/],
    [['a.yml', 'b.yml'], /Only one pipeline file can be run; got 'a.yml' and 'b.yml'/],
    [['--var', 'x'], /--var x: give a value, as --var x=VALUE/],
    [['--var'], /--var needs a value/],
    [['--var', '1x=2'], /'1x' is not a valid name/],
    [['--secret', 'MISSING'], /--secret MISSING: no value; give --secret MISSING=VALUE or set the environment variable MISSING/],
    [['--connection', 'prod=azure'], /--connection prod: 'azure' is not a local connection; use one of: spnKey, spnCertificate, workloadIdentity, managedIdentity, spnPullOnly, dockerRegistry/],
    [['--connection', 'sc\tprod=spnKey'], /--connection: the service connection name "sc\\tprod" holds a control character \(U\+0009\), which Azure DevOps does not accept/],
    [['--connection', ' =spnKey'], /--connection: the service connection name is empty/],
  ];
  for (const [argv, message] of errors) {
    it(`refuses ${argv.join(' ')}`, () => assert.throws(() => parseArguments(argv, {}), message));
  }
});
