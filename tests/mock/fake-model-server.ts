import { type ChildProcess, spawn } from 'node:child_process';
import * as readline from 'node:readline';

/**
 * A KServe v1 model server ('iris') in a child process on 127.0.0.1, so that it keeps answering while
 * MockTestRunner blocks this process (it runs the task with spawnSync).
 */
const SERVER = `
const http = require('node:http');
const server = http.createServer((req, res) => {
  const send = (status, body) => { res.writeHead(status, { 'content-type': 'application/json' }); res.end(JSON.stringify(body)); };
  let body = '';
  req.on('data', (chunk) => { body += chunk; });
  req.on('end', () => {
    if (req.method === 'GET' && req.url === '/v1/models/iris') return send(200, { name: 'iris', ready: true });
    if (req.method === 'POST' && req.url === '/v1/models/iris:predict') {
      const instances = JSON.parse(body || '{}').instances;
      return Array.isArray(instances) ? send(200, { predictions: instances.map(() => 1) }) : send(400, { error: 'no instances' });
    }
    send(404, { error: 'not found' });
  });
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
`;

export interface FakeModelServer {
  url: string;
  stop(): void;
}

export async function startFakeModelServer(): Promise<FakeModelServer> {
  const child: ChildProcess = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  const stdout = child.stdout;
  if (stdout === null) throw new Error('no stdout from the fake model server');
  const port = await new Promise<string>((resolve, reject) => {
    const lines = readline.createInterface({ input: stdout });
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`the fake model server exited (${code ?? 'signal'})`)));
  });
  return { url: `http://127.0.0.1:${port.trim()}`, stop: () => void child.kill() };
}
