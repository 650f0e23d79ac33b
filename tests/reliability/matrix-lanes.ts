/**
 * Runs matrix cases fast: faults are per local Azure, so cases run in "lanes", each with a local Azure
 * of its own, side by side; within a lane one case at a time. Each case runs the bundled task as the
 * agent does and keeps what it said, what the local Azure saw, and how long it took.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type LocalAzure, startLocalAzure } from '../../emulator/index';
import { runBundledTask, type TaskRun } from '../../scripts/agent/run-task';
import { testImages, type TestImages } from '../e2e/deploy/deploy-fixture';
import { type MatrixCase, faultsOf, holdsUploadSlots } from './fault-matrix';

export interface Lane {
  azure: LocalAzure;
  images: TestImages;
  /** An httpd image in the lane's registry, for deploy cases. */
  image: string;
  close(): Promise<void>;
}

export interface CaseResult {
  run: TaskRun;
  elapsedInMs: number;
  /** Routes that received an injected fault. */
  faulted: string[];
  /** Files in the step's working folder afterwards that the case did not put there (a temporary sign-in, a copy of the Dockerfile...). */
  leftFiles: string[];
}

export async function openLane(): Promise<Lane> {
  const azure = await startLocalAzure();
  const images = testImages(azure);
  try {
    const image = await images.pushHttpd('matrix model');
    return {
      azure,
      images,
      image,
      // The images the build cases pushed are in the lane's registry too: remove() takes them all.
      close: async () => {
        await images.remove();
        await azure.stop();
      },
    };
  } catch (error) {
    await azure.stop();
    throw error;
  }
}

/** How long a case may run before the harness kills it (it counts as hanging). */
export const CASE_TIMEOUT_IN_MS = 240_000;
/** The deploy deadline of cases that must fail ('timeoutInMinutes'), and of those that must succeed. */
const FAILING_DEPLOY_TIMEOUT_IN_MINUTES = '0.3';
const DEPLOY_TIMEOUT_IN_MINUTES = '3';

let sequence = 0;
/** What runBuild puts in the working folder. */
const CASE_FILES = new Set(['stamp', 'Dockerfile']);

export async function runCase(lane: Lane, matrixCase: MatrixCase): Promise<CaseResult> {
  const { azure } = lane;
  azure.faults.clear();
  azure.clearRequests();
  const slug = `mx${++sequence}-${randomBytes(2).toString('hex')}`;
  const workingDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'matrix-case-'));
  try {
    for (const fault of faultsOf(matrixCase)) azure.faults.addHttpFault(fault);
    const started = Date.now();
    const run = matrixCase.task === 'build' ? await runBuild(azure, slug, workingDirectory) : await runDeploy(lane, matrixCase, slug, workingDirectory);
    const elapsedInMs = Date.now() - started;
    const faulted = azure.requests().filter((entry) => entry.fault !== undefined).map((entry) => entry.route);
    azure.faults.clear();
    const leftFiles = fs.readdirSync(workingDirectory).filter((name) => !CASE_FILES.has(name));
    return { run, elapsedInMs, faulted, leftFiles };
  } finally {
    fs.rmSync(workingDirectory, { recursive: true, force: true });
  }
}

function runBuild(azure: LocalAzure, slug: string, workingDirectory: string): Promise<TaskRun> {
  // One layer of its own (the stamp) so that every push uploads a blob and puts a manifest; only one, so
  // that a push holds one of the Docker engine's upload slots (see MAX_SLOT_HOLDERS).
  fs.writeFileSync(path.join(workingDirectory, 'stamp'), `${slug}\n`);
  fs.writeFileSync(path.join(workingDirectory, 'Dockerfile'), 'FROM scratch\nCOPY stamp /stamp\n');
  const connection = azure.connections.spnKey;
  return runBundledTask({
    task: 'BuildAndPushAiImageV1',
    inputs: {
      connectionType: 'azureRM',
      azureSubscription: connection.id,
      azureContainerRegistry: azure.registry.name,
      repository: `matrix/${slug}`,
      dockerfile: 'Dockerfile',
      tags: 'v1',
    },
    connections: [connection],
    env: azure.agentEnvironment(),
    workingDirectory,
    timeoutInMs: CASE_TIMEOUT_IN_MS,
  });
}

function runDeploy(lane: Lane, matrixCase: MatrixCase, slug: string, workingDirectory: string): Promise<TaskRun> {
  const { azure } = lane;
  const connection = azure.connections.spnKey;
  return runBundledTask({
    task: 'DeployToAciV1',
    inputs: {
      azureSubscription: connection.id,
      resourceGroup: azure.resourceGroups[0] ?? 'rg',
      containerGroupName: slug,
      image: lane.image,
      ports: '80',
      timeoutInMinutes: matrixCase.expect === 'fails clearly' ? FAILING_DEPLOY_TIMEOUT_IN_MINUTES : DEPLOY_TIMEOUT_IN_MINUTES,
    },
    connections: [connection],
    env: azure.agentEnvironment(),
    workingDirectory,
    timeoutInMs: CASE_TIMEOUT_IN_MS,
  });
}

/**
 * At most this many cases that hold one of the Docker engine's upload slots for minutes (docker's own
 * retries; the engine uploads five layers at a time for everyone, each build case pushes one) run at
 * once: two slots stay free, so the other lanes' pushes (and other suites' on the same engine) never
 * spend their retry budget waiting for one. The six such cases take two rounds with three or four.
 */
const MAX_SLOT_HOLDERS = 3;

/** Runs every case over `lanes` local Azures side by side, in the order given (see MAX_SLOT_HOLDERS); results by case id. */
export async function runOverLanes(lanes: readonly Lane[], cases: readonly MatrixCase[]): Promise<Map<string, CaseResult | Error>> {
  const results = new Map<string, CaseResult | Error>();
  const queue = [...cases];
  let slotHolders = 0;
  const takeNext = (): MatrixCase | undefined => {
    const index = queue.findIndex((candidate) => !holdsUploadSlots(candidate) || slotHolders < MAX_SLOT_HOLDERS);
    return index < 0 ? undefined : queue.splice(index, 1)[0];
  };
  /** Lanes that found only slot holders they may not start yet: woken when a slot holder finishes. */
  const waiting: (() => void)[] = [];
  const runLane = async (lane: Lane): Promise<void> => {
    while (queue.length > 0) {
      const next = takeNext();
      if (next === undefined) {
        await new Promise<void>((resolve) => waiting.push(resolve));
        continue;
      }
      const holds = holdsUploadSlots(next);
      if (holds) slotHolders++;
      try {
        results.set(next.id, await runCase(lane, next));
      } catch (error) {
        results.set(next.id, error instanceof Error ? error : new Error(String(error)));
      } finally {
        if (holds) {
          slotHolders--;
          waiting.splice(0).forEach((wake) => wake());
        }
      }
    }
    // Done: lanes still waiting find the queue empty (or a case they may start) when woken.
    waiting.splice(0).forEach((wake) => wake());
  };
  await Promise.all(lanes.map((lane) => runLane(lane)));
  return results;
}
