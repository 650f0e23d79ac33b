import * as assert from 'node:assert/strict';
import { InputError } from '../../../tasks/common/errors';
import { parseCommand } from '../../../tasks/DeployToAciV1/src/command-line';
import { inputsOf } from './fixtures';

function rejects(value: string, pattern: RegExp): void {
  assert.throws(
    () => parseCommand('command', value),
    (error: unknown) => error instanceof InputError && error.input === 'command' && pattern.test(error.message),
  );
}

describe('DeployToAci command (exec form, no shell)', () => {
  it('is empty when the input is empty: the image keeps its entry point and command', () => {
    assert.deepEqual(parseCommand('command', undefined), []);
    assert.deepEqual(parseCommand('command', '  \n '), []);
  });

  it('splits shell-like words, on one line or many', () => {
    assert.deepEqual(parseCommand('command', 'python -m server --port 80'), ['python', '-m', 'server', '--port', '80']);
    assert.deepEqual(parseCommand('command', 'python\n-m server\r\n  --port\t80\n'), ['python', '-m', 'server', '--port', '80']);
  });

  it("keeps quoted words whole: '...' literally, \"...\" with \\\" and \\\\; outside quotes a backslash escapes spaces, quotes and itself", () => {
    assert.deepEqual(parseCommand('command', `sh -c 'echo "$MODEL" && exec serve'`), ['sh', '-c', 'echo "$MODEL" && exec serve']);
    assert.deepEqual(parseCommand('command', String.raw`serve --banner "a \"quoted\" \\ word" --path C:\\models`), ['serve', '--banner', 'a "quoted" \\ word', '--path', 'C:\\models']);
    assert.deepEqual(parseCommand('command', String.raw`C:\app\serve.exe --models D:\models`), ['C:\\app\\serve.exe', '--models', 'D:\\models']);
    assert.deepEqual(parseCommand('command', String.raw`serve --name my\ model ''`), ['serve', '--name', 'my model', '']);
    assert.deepEqual(parseCommand('command', 'serve \\\n  --port 80'), ['serve', '--port', '80']);
  });

  it('expands nothing: $VAR, globs and ~ reach the program as written', () => {
    assert.deepEqual(parseCommand('command', 'serve --model $MODEL_PATH *.onnx ~'), ['serve', '--model', '$MODEL_PATH', '*.onnx', '~']);
  });

  it('takes a JSON array as it is (as in a Dockerfile exec form)', () => {
    assert.deepEqual(parseCommand('command', '["python", "-m", "server", "--greeting", "hello world"]'), ['python', '-m', 'server', '--greeting', 'hello world']);
    rejects('["python", 3]', /JSON array must hold at least one string and only strings/);
    rejects('[]', /at least one string/);
    rejects('["python",', /Input 'command' must be a JSON array of strings.*or words as in a shell/);
  });

  it('refuses unbalanced quotes', () => {
    rejects(`sh -c 'echo`, /balanced quotes \(a ' is not closed\)/);
    rejects('serve "x', /balanced quotes \(a " is not closed\)/);
  });

  it('refuses unquoted shell operators, which would reach the program as arguments, and says how to use a shell', () => {
    for (const operator of ['&&', '|', ';', '>', '2>&1']) rejects(`serve ${operator} echo`, /without shell syntax.*'.*' would be passed to the program as an argument.*sh -c/);
    assert.deepEqual(parseCommand('command', `serve '&&' "|" \\;`), ['serve', '&&', '|', ';']);
  });

  it('is read from the command input as the container command', () => {
    assert.deepEqual(inputsOf({ command: 'python -m server' }).inputs.command, ['python', '-m', 'server']);
    assert.deepEqual(inputsOf({}).inputs.command, []);
  });
});

describe('DeployToAci timeoutInMinutes', () => {
  it('accepts fractions of a minute down to 0.25 (15 s)', () => {
    assert.equal(inputsOf({ timeoutInMinutes: '0.25' }).inputs.timeoutInMs, 15_000);
    assert.equal(inputsOf({ timeoutInMinutes: '2.5' }).inputs.timeoutInMs, 150_000);
    assert.equal(inputsOf({ timeoutInMinutes: '360' }).inputs.timeoutInMs, 360 * 60_000);
  });

  it('names the range it accepts, in minutes', () => {
    for (const value of ['0.1', '15m', '361']) {
      assert.throws(() => inputsOf({ timeoutInMinutes: value }), (error: unknown) => error instanceof InputError && error.message === `Input 'timeoutInMinutes' must be a number from 0.25 to 360; got '${value}'.`);
    }
  });
});
