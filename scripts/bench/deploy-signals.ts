/**
 * DeployToAci@1 against the local Azure: how soon after the model's first 200 the task notices the
 * group is ready, how many sign-in requests one deploy with workload identity federation makes, and how
 * many Resource Manager requests an unchanged redeploy makes. The model is busybox httpd that serves
 * its readiness path only 2 s after it starts; the container's own log (with Docker's timestamps) says
 * when the path started to answer 200.
 */
import { execFile } from 'node:child_process';
import * as os from 'node:os';
import { promisify } from 'node:util';
import { startLocalAzure } from '../../emulator/index';
import { LABELS } from '../../emulator/aci/engine/container-spec';
import { docker, armRequests, deployRunner, testImages } from '../../tests/e2e/deploy/deploy-fixture';
import { ensureBuilt } from '../agent/build-once';
import type { Comparison } from './support/comparison';
import type { BenchResult } from './types';

const exec = promisify(execFile);
const ROUNDS = 5;
const READY_LINE = /is running and ready/;
const SIGN_IN_ROUTES = ['devops.resourceLocations', 'devops.oidcToken', 'entra.token'];
const SERVE_AFTER_2_S = `/bin/busybox sh -c '/bin/busybox mkdir -p /srv; (/bin/busybox sleep 2; echo ok > /srv/ready; echo model-ready) & exec /bin/busybox httpd -f -vv -p 80 -h /srv'`;

/** When the readiness path of `group`'s container (named as the group) started to answer 200: its 'model-ready' line in `docker logs --timestamps`. */
async function modelReadyAt(instanceId: string, group: string): Promise<number> {
  const ids = (await docker(['ps', '--all', '--quiet', '--filter', `label=${LABELS.instance}=${instanceId}`, '--filter', `label=${LABELS.container}=${group}`])).split('\n').filter(Boolean);
  for (const id of ids) {
    const { stdout, stderr } = await exec('docker', ['logs', '--timestamps', id], { maxBuffer: 16 * 1024 * 1024 });
    const line = `${stdout}${stderr}`.split('\n').find((l) => / model-ready$/.test(l));
    if (line) return Date.parse(line.split(' ')[0] ?? '');
  }
  throw new Error(`The container of group ${group} never got ready.`);
}

export async function run(): Promise<BenchResult> {
  await ensureBuilt();
  const azure = await startLocalAzure();
  const images = testImages(azure);
  try {
    const image = await images.pushHttpd('model');
    const deploy = deployRunner(azure);
    const detections: number[] = [];
    const signIns: number[] = [];
    const redeployArm: number[] = [];
    const signInDetail: string[] = [];
    const redeployDetail: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const group = `bench-ready-${round}`;
      const inputs = { containerGroupName: group, image, command: SERVE_AFTER_2_S, readinessProbePath: '/ready', readinessProbePeriod: '10s' };
      azure.clearRequests();
      let readyAt: number | undefined;
      const result = await runDeploy(deploy, inputs, (line) => {
        if (readyAt === undefined && READY_LINE.test(line)) readyAt = Date.now();
      });
      if (result.exitCode !== 0 || readyAt === undefined) throw new Error(`DeployToAci failed: ${result.message ?? result.log.slice(-2000)}`);
      const requests = azure.requests();
      const counted = requests.filter((entry) => SIGN_IN_ROUTES.includes(entry.route));
      signIns.push(counted.length);
      if (round === 0) signInDetail.push(...SIGN_IN_ROUTES.map((route) => `${route} x${counted.filter((e) => e.route === route).length}`));
      detections.push((readyAt - (await modelReadyAt(azure.instanceId, group))) / 1000);
      if (round < 2) {
        azure.clearRequests();
        const again = await runDeploy(deploy, inputs);
        if (again.exitCode !== 0 || !/nothing to change/.test(again.log)) throw new Error(`The unchanged redeploy did not say it changed nothing: ${again.log.slice(-2000)}`);
        const arm = armRequests(azure).filter((entry) => !entry.route.startsWith('devops.'));
        redeployArm.push(arm.length);
        if (round === 0) redeployDetail.push(...arm.map((entry) => `${entry.method} ${entry.route}`));
      }
    }
    const comparisons: Comparison[] = [
      { measure: "deploy: readiness detected after the model's first 200", unit: 's', task: detections, aim: { kind: 'value', atMost: 0.3 } },
      { measure: 'deploy: sign-in requests for one deploy (workload identity)', unit: 'requests', task: signIns, aim: { kind: 'value', atMost: 2 } },
      { measure: 'unchanged redeploy, Resource Manager requests', unit: 'requests', task: redeployArm, aim: { kind: 'value', atMost: 2 } },
    ];
    return {
      title: `DeployToAci: readiness detection, sign-ins, requests of an unchanged redeploy (${ROUNDS} deploys)`,
      rows: comparisons.map((c) => ({ measure: c.measure, samples: c.task.map((v) => Math.round(v * 100) / 100).join(', ') })),
      comparisons,
      notes: [
        `Sign-in requests of the first deploy: ${signInDetail.join(', ')} (devops.resourceLocations counts the OPTIONS lookup azure-devops-node-api would send first; the tasks post the OIDC token request directly).`,
        `Resource Manager requests of the first unchanged redeploy: ${redeployDetail.join(', ')}.`,
        `Load average: ${os.loadavg().map((l) => l.toFixed(1)).join(', ')} on ${os.cpus().length} CPUs.`,
      ],
    };
  } finally {
    await images.remove();
    await azure.stop();
  }
}

function runDeploy(deploy: ReturnType<typeof deployRunner>, inputs: Record<string, string>, onLine?: (line: string) => void) {
  return deploy({ inputs, connection: 'workloadIdentity', ...(onLine ? { onLine } : {}) });
}
