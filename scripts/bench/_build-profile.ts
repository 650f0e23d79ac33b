/**
 * Where BuildAndPushAiImage's time goes after a code-only change: three runs per builder, and for the
 * last two a timeline relative to the spawn of the task of its log lines (as the agent shows them), of
 * every docker command it ran (through a `docker` wrapper first on PATH: start, duration) and of every
 * request the local Azure answered. Not a benchmark module (its name starts with '_'):
 *   npx tsx scripts/bench/_build-profile.ts [legacy|BuildKit]
 * PROFILE_DIR=<a --require preload> adds it to the task's NODE_OPTIONS (e.g. one that writes a CPU profile).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openBuildEnvironment, runAzureRmBuild } from '../../tests/e2e/build/build-fixture';
import { BUILDERS, openBuilder } from '../../tests/e2e/build/builders';

async function main(): Promise<void> {
  const environment = await openBuildEnvironment({ name: 'profbuild', modelBytes: 4 * 1024 * 1024, baseBytes: 8 * 1024 * 1024 });
  const { azure, workspace, baseImage } = environment;
  const wrapDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wrap-'));
  const logFile = path.join(wrapDir, 'docker.log');
  try {
    for (const name of process.argv.slice(2).length ? process.argv.slice(2) : BUILDERS) {
      const builder = openBuilder(name as 'legacy' | 'BuildKit');
      fs.writeFileSync(path.join(wrapDir, 'docker'), `#!/bin/bash\ns=$(date +%s%3N)\n${builder.dockerPath} "$@"\nrc=$?\necho "$s $(date +%s%3N) $1 $2" >> ${logFile}\nexit $rc\n`, { mode: 0o755 });
      const env = { ...builder.env, PATH: `${wrapDir}:${builder.env.PATH ?? process.env.PATH}`, ...(process.env.PROFILE_DIR ? { NODE_OPTIONS: `--require ${process.env.PROFILE_DIR}` } : {}) };
      for (let round = 0; round < 3; round++) {
        workspace.changeCode(`prof ${name} ${round} ${Date.now()}`);
        fs.writeFileSync(logFile, '');
        azure.clearRequests();
        const lines: string[] = [];
        const start = Date.now();
        const result = await runAzureRmBuild(azure, baseImage, azure.connections.spnKey, {
          inputs: { repository: `prof/${name.toLowerCase()}`, tags: `t${round}`, modelName: 'iris', modelFiles: 'model' },
          variables: { 'Build.BuildId': '1', 'Build.BuildNumber': '1', 'Build.Repository.Uri': 'https://example.invalid/repo', 'Build.SourceVersion': 'abc' },
          workingDirectory: workspace.root,
          env,
          onLine: (line) => lines.push(`${Date.now() - start} log ${line.slice(0, 120)}`),
        });
        const total = Date.now() - start;
        const events = [
          ...lines,
          ...fs.readFileSync(logFile, 'utf8').split('\n').filter(Boolean).map((l) => { const [s, e, ...rest] = l.split(' '); return `${Number(s) - start} docker ${rest.join(' ')} (${Number(e) - Number(s)} ms, ends ${Number(e) - start})`; }),
          ...azure.requests().map((r) => `${r.at.getTime() - start} req ${r.method} ${r.route} ${r.status}`),
        ].sort((a, b) => parseInt(a) - parseInt(b));
        console.log(`\n=== ${name} round ${round}: ${result.result} total ${total} ms`);
        if (round > 0) console.log(events.join('\n'));
      }
      builder.remove();
    }
  } finally {
    fs.rmSync(wrapDir, { recursive: true, force: true });
    await environment.close();
  }
}
void main();
