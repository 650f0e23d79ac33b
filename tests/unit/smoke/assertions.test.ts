import { strict as assert } from 'node:assert';
import { evaluateAssertion, type AnswerBody } from '../../../tasks/SmokeTestModelV1/src/assertions/evaluate';
import { parseJsonPath, selectPath } from '../../../tasks/SmokeTestModelV1/src/assertions/json-path';
import { parseLiteral } from '../../../tasks/SmokeTestModelV1/src/assertions/literal';
import { parseAssertion } from '../../../tasks/SmokeTestModelV1/src/assertions/parse';

const json = (value: unknown): AnswerBody => ({ text: JSON.stringify(value), json: value, isJson: true });
const check = (line: string, value: unknown): { ok: boolean; detail: string } => evaluateAssertion(parseAssertion(line), json(value));

const OIP = { model_name: 'iris', outputs: [{ name: 'out', shape: [1, 3], datatype: 'FP32', data: [0.1, 0.2, 0.7] }, { name: 'label', shape: [1], datatype: 'INT64', data: [2] }] };

describe('smoke assertions: JSON paths', () => {
  it('parses keys, indexes, negative indexes, quoted keys and wildcards', () => {
    assert.deepEqual(parseJsonPath("$.a['b c'][0][-1][*].*").segments, [
      { kind: 'key', key: 'a' }, { kind: 'key', key: 'b c' }, { kind: 'index', index: 0 }, { kind: 'index', index: -1 }, { kind: 'wildcard' }, { kind: 'wildcard' },
    ]);
    assert.equal(parseJsonPath('$.a.b == 1').length, 5);
  });

  it('rejects malformed paths with a message', () => {
    assert.throws(() => parseJsonPath('$.'), /property name after '\.'/);
    assert.throws(() => parseJsonPath('$[abc]'), /not an index/);
    assert.throws(() => parseJsonPath("$['abc]"), /unterminated/);
    assert.throws(() => parseJsonPath('a.b'), /starts with '\$'/);
  });

  it('selects concrete paths, missing steps and wildcards', () => {
    assert.deepEqual(selectPath(OIP, parseJsonPath('$.outputs[*].name').segments).map((m) => [m.path, m.value]), [['$.outputs[0].name', 'out'], ['$.outputs[1].name', 'label']]);
    assert.deepEqual(selectPath(OIP, parseJsonPath('$.outputs[-1].data[0]').segments).map((m) => m.value), [2]);
    const missing = selectPath(OIP, parseJsonPath('$.outputs[5].name').segments);
    assert.deepEqual(missing.map((m) => [m.path, m.found]), [['$.outputs[5].name', false]]);
    assert.deepEqual(selectPath({ a: [] }, parseJsonPath('$.a[*]').segments), []);
  });
});

describe('smoke assertions: literals', () => {
  it('reads JSON and single-quoted strings', () => {
    assert.deepEqual(parseLiteral("[1, 'a', \"b\", true, null, {'k': [2.5e1]}]").value, [1, 'a', 'b', true, null, { k: [25] }]);
    assert.equal(parseLiteral("'it\\'s'").value, "it's");
    assert.throws(() => parseLiteral('[1, 2'), /expected ']'/);
    assert.throws(() => parseLiteral('bogus'), /expected a value/);
  });
});

describe('smoke assertions: the language', () => {
  const cases: Array<[string, unknown, boolean]> = [
    ['$.outputs[0].shape == [1, 3]', OIP, true],
    ['$.outputs[0].shape == [1, 2]', OIP, false],
    ['$.outputs[0].shape != [1, 2]', OIP, true],
    ['$.outputs[1].data[0] in [0, 1, 2]', OIP, true],
    ['$.outputs[1].data[0] not in [0, 1]', OIP, true],
    ['$.outputs[0].data[2] > 0.5', OIP, true],
    ['$.outputs[0].data[2] <= 0.5', OIP, false],
    ['$.outputs[*].data[0] >= 0.1', OIP, true],
    ['$.outputs[*].datatype == "FP32"', OIP, false],
    ['$.model_name matches /^ir/i', OIP, true],
    ['$.model_name not matches /x/', OIP, true],
    ['$.model_name exists', OIP, true],
    ['$.nothing exists', OIP, false],
    ['$.nothing not exists', OIP, true],
    ['$.outputs length == 2', OIP, true],
    ['$.outputs length > 2', OIP, false],
    ['$.model_name length == 4', OIP, true],
    ["$.outputs type == 'array'", OIP, true],
    ["$.outputs[1].data[0] type == 'integer'", OIP, true],
    ["$.outputs[0].data[0] type == 'integer'", OIP, false],
    ["$.model_name type != 'number'", OIP, true],
    ["$.outputs[0].data contains 0.7", OIP, true],
    ["$.model_name contains 'ri'", OIP, true],
    ['$.outputs[0] == {"name": "out", "shape": [1, 3], "datatype": "FP32", "data": [0.1, 0.2, 0.7]}', OIP, true],
  ];
  for (const [line, value, expected] of cases) {
    it(`${expected ? 'holds' : 'fails'}: ${line}`, () => {
      assert.equal(check(line, value).ok, expected, check(line, value).detail);
    });
  }

  it('says what it found when an assertion fails', () => {
    assert.equal(check('$.outputs[1].data[0] in [0, 1]', OIP).detail, '$.outputs[1].data[0] is 2, not in [0,1]');
    assert.equal(check('$.outputs[3].name exists', OIP).detail, '$.outputs[3].name does not exist');
    assert.match(check('$.model_name > 3', OIP).detail, /'>' compares numbers/);
    assert.match(check('$.outputs[*].datatype == "FP32"', OIP).detail, /^\$\.outputs\[1\]\.datatype is "INT64"/);
  });

  it('checks raw bodies with body, and fails JSON paths on a non-JSON answer', () => {
    const text: AnswerBody = { text: 'Healthy', json: undefined, isJson: false };
    assert.equal(evaluateAssertion(parseAssertion("body contains 'Heal'"), text).ok, true);
    assert.equal(evaluateAssertion(parseAssertion('body matches /^healthy$/i'), text).ok, true);
    assert.deepEqual(evaluateAssertion(parseAssertion('$.a exists'), text), { ok: false, detail: 'the answer is not JSON' });
  });

  it('rejects bad syntax with a message that says what is expected', () => {
    assert.throws(() => parseAssertion('outputs == 1'), /starts with a JSON path/);
    assert.throws(() => parseAssertion('$.a'), /expected exists, not exists, ==/);
    assert.throws(() => parseAssertion('$.a = 1'), /expected exists/);
    assert.throws(() => parseAssertion('$.a in 3'), /'in' takes a list/);
    assert.throws(() => parseAssertion('$.a matches abc'), /regular expression/);
    assert.throws(() => parseAssertion('$.a matches /(/'), /invalid regular expression/);
    assert.throws(() => parseAssertion('$.a matches /a/g'), /flags may be/);
    assert.throws(() => parseAssertion("$.a type == 'float'"), /'type' is one of/);
    assert.throws(() => parseAssertion('$.a length == -1'), /whole number/);
    assert.throws(() => parseAssertion('$.a == 1 2'), /unexpected '2'/);
    assert.throws(() => parseAssertion('$.a exists now'), /unexpected 'now'/);
  });
});
