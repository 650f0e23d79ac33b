import { strict as assert } from 'node:assert';
import { InputError } from '../../../tasks/common/errors';
import { InputReader, formatDuration, inputSourceFromRecord } from '../../../tasks/common/input-reader';

function reader(values: Record<string, string>): InputReader {
  return new InputReader(inputSourceFromRecord(values), { setSecret: () => undefined });
}

function inputError(action: () => unknown, message: string): void {
  assert.throws(action, (error: unknown) => error instanceof InputError && error.message === message);
}

describe('InputReader', () => {
  it('treats blank values as unset and trims strings', () => {
    const r = reader({ a: '  x  ', blank: '   ' });
    assert.equal(r.string('a'), 'x');
    assert.equal(r.string('blank'), undefined);
    assert.equal(r.string('absent'), undefined);
  });

  it('names a missing required input, with a hint', () => {
    inputError(() => reader({}).required('image', 'Run BuildAndPushAiImage first.'), "Input 'image' is required but was not set. Run BuildAndPushAiImage first.");
  });

  it("accepts only 'true' and 'false' for booleans: 'yes' is an error, not a silent false", () => {
    assert.equal(reader({ b: 'TRUE' }).boolean('b', false), true);
    assert.equal(reader({ b: 'false' }).boolean('b', true), false);
    assert.equal(reader({}).boolean('b', true), true);
    inputError(() => reader({ b: 'yes' }).boolean('b', false), "Input 'b' must be 'true' or 'false'; got 'yes'.");
    inputError(() => reader({ b: '1' }).boolean('b', false), "Input 'b' must be 'true' or 'false'; got '1'.");
  });

  it('matches enums case-insensitively and returns the declared spelling', () => {
    assert.equal(reader({ os: 'linux' }).enumValue('os', ['Linux', 'Windows'] as const, 'Linux'), 'Linux');
    assert.equal(reader({}).enumValue('os', ['Linux', 'Windows'] as const), undefined);
    inputError(() => reader({ os: 'mac' }).enumValue('os', ['Linux', 'Windows'] as const), "Input 'os' must be one of 'Linux', 'Windows'; got 'mac'.");
  });

  it('checks integer and number ranges', () => {
    assert.equal(reader({ n: '3' }).integer('n', { min: 1, max: 5 }), 3);
    assert.equal(reader({}).integer('n', { min: 1, max: 5 }, 2), 2);
    inputError(() => reader({ n: '2.5' }).integer('n', { min: 1, max: 5 }), "Input 'n' must be a whole number from 1 to 5; got '2.5'.");
    inputError(() => reader({ n: '6' }).integer('n', { min: 1, max: 5 }), "Input 'n' must be a whole number from 1 to 5; got '6'.");
    assert.equal(reader({ cpu: '0.5' }).number('cpu', { min: 0.1, max: 4 }), 0.5);
    assert.equal(reader({ cpu: '.5' }).number('cpu', { min: 0.1, max: 4 }), 0.5);
    inputError(() => reader({ cpu: 'abc' }).number('cpu', { min: 0.1, max: 4 }), "Input 'cpu' must be a number from 0.1 to 4; got 'abc'.");
    inputError(() => reader({ cpu: '0x10' }).number('cpu', { min: 0.1, max: 40 }), "Input 'cpu' must be a number from 0.1 to 40; got '0x10'.");
  });

  it('reads lines without blanks and comments', () => {
    assert.deepEqual(reader({ l: 'a\r\n\n # comment\n b ' }).lines('l'), ['a', 'b']);
    assert.deepEqual(reader({}).lines('l'), []);
  });

  it('reads KEY=VALUE lines, keeping "=" in values, and never echoes a value in an error', () => {
    assert.deepEqual(reader({ env: 'A=1\nB=x=y\n# c\n' }).keyValues('env'), [
      { key: 'A', value: '1' },
      { key: 'B', value: 'x=y' },
    ]);
    inputError(() => reader({ env: 'A=1\nA=2' }).keyValues('env'), "Input 'env' must be KEY=VALUE lines with distinct keys; got 'A given twice'.");
    assert.throws(
      () => reader({ env: '9BAD=secret-value' }).keyValues('env'),
      (error: unknown) => error instanceof InputError && error.message.includes("'9BAD=***'") && !error.message.includes('secret-value'),
    );
    assert.throws(() => reader({ env: 'novalue' }).keyValues('env'), InputError);
  });

  it('reads durations with units, a bare number in the given unit, within a range', () => {
    const range = { minInMs: 1000, maxInMs: 3_600_000 };
    assert.equal(reader({ d: '90' }).durationInMs('d', range, 0), 90_000);
    assert.equal(reader({ d: '5m' }).durationInMs('d', range, 0), 300_000);
    assert.equal(reader({ d: '1h' }).durationInMs('d', range, 0), 3_600_000);
    assert.equal(reader({ d: '1500ms' }).durationInMs('d', range, 0), 1500);
    assert.equal(reader({ d: '2' }).durationInMs('d', range, 0, 'm'), 120_000);
    assert.equal(reader({}).durationInMs('d', range, 7000), 7000);
    inputError(
      () => reader({ d: '2h' }).durationInMs('d', range, 0),
      "Input 'd' must be a duration from 1s to 1h (e.g. '30s', '5m', '1h'; a bare number is in s); got '2h'.",
    );
    assert.throws(() => reader({ d: 'soon' }).durationInMs('d', range, 0), InputError);
  });

  it('formats durations in the largest whole unit', () => {
    assert.deepEqual([formatDuration(7_200_000), formatDuration(120_000), formatDuration(5000), formatDuration(1500)], ['2h', '2m', '5s', '1500ms']);
  });

  it('masks secret inputs the moment they are read: single values, multi-line values line by line, and KEY=VALUE values', () => {
    const masked: string[] = [];
    const read = new InputReader(inputSourceFromRecord({ key: ' s3cret ', pem: '-----BEGIN PRIVATE KEY-----\nAAA\nBBB\n-----END PRIVATE KEY-----', env: 'A=one\nB=two', blank: ' ' }), {
      setSecret: (value) => masked.push(value),
    });
    assert.equal(read.secret('key'), 's3cret');
    assert.equal(read.secret('pem')?.startsWith('-----BEGIN'), true);
    assert.deepEqual(read.secretKeyValues('env'), [{ key: 'A', value: 'one' }, { key: 'B', value: 'two' }]);
    assert.equal(read.secret('blank'), undefined);
    assert.deepEqual(masked, ['s3cret', 'AAA', 'BBB', 'one', 'two']);
    inputError(() => read.requiredSecret('missing', 'Map it from a secret variable.'), "Input 'missing' is required but was not set. Map it from a secret variable.");
  });
});
