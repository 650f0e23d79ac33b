/**
 * One pod on the local node, as the kubelet's pod worker syncs it: the sandbox, image pulls (with
 * their back-off), container creation and start, restarts by the pod's restartPolicy with the
 * CrashLoopBackOff back-off, probes, and the pod status written back to the store. Syncs of a pod
 * never overlap; everything that changes the pod (spec, engine events, probes, timers) asks for one.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { DockerEngine } from '../../docker/docker-engine';
import { isoSeconds } from '../controllers/clock-format';
import type { EventRecorder } from '../controllers/event-recorder';
import { unconditional } from '../controllers/unconditional';
import type { ContainerSpec, Pod } from '../kube-types';
import type { ObjectStore } from '../store/object-store';
import { PODS } from '../store/resource-types';
import { goDuration, type BackOff } from './back-off';
import { containerBody, dockerName, SANDBOX_CONTAINER, sandboxBody } from './container-plan';
import type { EngineExtras } from './engine-extras';
import { ContainerConfigError, containerEnvironment } from './environment';
import { goShortDuration, ImagePullError, type ImagePuller } from './image-puller';
import { podStatus, type ContainerView, type Termination } from './pod-status';
import { MountError, preparePodVolumes, volumeBinds } from './pod-volumes';
import { runProbe, startProbeWorker, type ProbeKind } from './probes';

export interface KubeletContext {
  store: ObjectStore;
  docker: DockerEngine;
  extras: EngineExtras;
  puller: ImagePuller;
  events: EventRecorder;
  clusterPrefix: string;
  /** Where the pod's volumes are written (a folder of the cluster's own). */
  volumesDirectory: string;
  pauseImage(): Promise<string>;
  crashBackOff: BackOff;
  pullBackOff: BackOff;
  /** How long after a start the kubelet first reports the container (its PLEG relist period). */
  relistPeriodInMs: number;
  now(): number;
  onError(error: unknown): void;
}

interface ContainerRecord extends ContainerView {
  spec: ContainerSpec;
  attempts: number;
  currentId?: string;
  previousId?: string | undefined;
  exitedAtInMs?: number;
  stopProbes: (() => void)[];
}

const CONTAINER_ID_PREFIX = 'containerd://';

export class PodWorker {
  private sandboxId: string | undefined;
  private podIP: string | undefined;
  private hostIP: string | undefined;
  private readonly startTime: string;
  private readonly containers = new Map<string, ContainerRecord>();
  private volumes: Map<string, string> | undefined;
  private deleted = false;
  private syncing = false;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  private timerDueInMs = Number.POSITIVE_INFINITY;

  constructor(
    private readonly ctx: KubeletContext,
    private pod: Pod,
  ) {
    this.startTime = isoSeconds(ctx.now());
  }

  private get volumeFolder(): string {
    return join(this.ctx.volumesDirectory, this.uid);
  }

  get uid(): string {
    return this.pod.metadata.uid;
  }

  get namespace(): string {
    return this.pod.metadata.namespace ?? 'default';
  }

  get name(): string {
    return this.pod.metadata.name;
  }

  /** `name_namespace(uid)`, as format.Pod writes a pod in kubelet messages. */
  private get podText(): string {
    return `${this.name}_${this.namespace}(${this.uid})`;
  }

  update(pod: Pod): void {
    this.pod = pod;
    this.kick();
  }

  /** The Docker ids of the pod's running containers, by container name. */
  runningContainers(): Map<string, string> {
    const result = new Map<string, string>();
    for (const [name, record] of this.containers) if (record.running && record.currentId) result.set(name, record.currentId);
    return result;
  }

  containerIds(name: string): { current?: string; previous?: string; waiting?: { reason: string; message?: string }; running: boolean } | undefined {
    const record = this.containers.get(name);
    if (!record) return undefined;
    return {
      ...(record.currentId ? { current: record.currentId } : {}),
      ...(record.previousId ? { previous: record.previousId } : {}),
      ...(record.waiting ? { waiting: record.waiting } : {}),
      running: record.running !== undefined,
    };
  }

  containerNames(): string[] {
    return this.pod.spec.containers.map((container) => container.name);
  }

  kick(delayInMs = 0): void {
    if (this.deleted) return;
    const due = this.ctx.now() + delayInMs;
    if (delayInMs > 0 && due >= this.timerDueInMs) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerDueInMs = due;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerDueInMs = Number.POSITIVE_INFINITY;
      void this.run();
    }, delayInMs);
    this.timer.unref();
  }

  private async run(): Promise<void> {
    if (this.syncing) {
      this.again = true;
      return;
    }
    this.syncing = true;
    try {
      do {
        this.again = false;
        await this.sync();
      } while (this.again && !this.deleted);
    } catch (error) {
      this.ctx.onError(error);
      this.kick(1000);
    } finally {
      this.syncing = false;
    }
  }

  private event(type: 'Normal' | 'Warning', reason: string, message: string, container?: string): void {
    this.ctx.events.record(this.pod, type, reason, message, container ? `spec.containers{${container}}` : undefined);
  }

  private async sync(): Promise<void> {
    if (this.deleted) return;
    const unsupported = (['initContainers', 'ephemeralContainers'] as const).find((field) => Array.isArray(this.pod.spec[field]) && (this.pod.spec[field] as unknown[]).length > 0);
    if (unsupported) {
      // Refused visibly rather than skipped: the pod stays Pending with the reason in an event.
      this.event('Warning', 'FailedCreatePodSandBox', `the local cluster's kubelet does not run ${unsupported}; remove them from the pod template`);
      return;
    }
    if (!this.sandboxId) await this.createSandbox();
    if (!this.volumes) {
      try {
        this.volumes = preparePodVolumes(this.ctx.store, this.pod, this.volumeFolder);
      } catch (error) {
        if (!(error instanceof MountError)) throw error;
        this.event('Warning', 'FailedMount', error.message);
        this.writeStatus();
        this.kick(5000);
        return;
      }
    }
    for (const spec of this.pod.spec.containers) {
      if (this.deleted) return;
      const record = this.record(spec);
      if (record.running) continue;
      if (record.exited) {
        const policy = this.pod.spec.restartPolicy ?? 'Always';
        const restart = policy === 'Always' || (policy === 'OnFailure' && record.exited.exitCode !== 0);
        if (!restart) continue;
        const key = `${this.uid}/${spec.name}`;
        const exitedAt = record.exitedAtInMs ?? this.ctx.now();
        if (this.ctx.crashBackOff.isInBackOffSince(key, exitedAt)) {
          const delay = this.ctx.crashBackOff.delayInMs(key);
          const message = `back-off ${goDuration(delay)} restarting failed container=${spec.name} pod=${this.podText}`;
          if (record.waiting?.message !== message) this.event('Warning', 'BackOff', `Back-off restarting failed container ${spec.name} in pod ${this.podText}`, spec.name);
          record.waiting = { reason: 'CrashLoopBackOff', message };
          this.kick(exitedAt + delay - this.ctx.now() + 20);
          continue;
        }
        this.ctx.crashBackOff.next(key, exitedAt);
      }
      await this.startContainer(spec, record);
    }
    this.writeStatus();
  }

  private record(spec: ContainerSpec): ContainerRecord {
    let record = this.containers.get(spec.name);
    if (!record) {
      record = { name: spec.name, image: spec.image, imageID: '', restartCount: 0, ready: false, started: false, spec, attempts: 0, stopProbes: [] };
      this.containers.set(spec.name, record);
    }
    record.spec = spec;
    return record;
  }

  private async createSandbox(): Promise<void> {
    const image = await this.ctx.pauseImage();
    const id = await this.ctx.docker.createContainer(dockerName(this.ctx.clusterPrefix, this.pod, SANDBOX_CONTAINER, 0), sandboxBody(this.ctx.clusterPrefix, this.pod, image));
    this.sandboxId = id;
    if (this.deleted) return;
    await this.ctx.docker.startContainer(id);
    const addresses = await this.ctx.extras.addresses(id);
    this.podIP = addresses?.ip;
    this.hostIP = addresses?.gateway;
  }

  private pullPolicy(spec: ContainerSpec): 'Always' | 'IfNotPresent' | 'Never' {
    if (spec.imagePullPolicy) return spec.imagePullPolicy;
    const tag = /:([^/:@]+)$/.exec(spec.image)?.[1];
    return spec.image.includes('@') || (tag !== undefined && tag !== 'latest') ? 'IfNotPresent' : 'Always';
  }

  /** Returns false when the image is not there (the record says why). */
  private async ensureImage(spec: ContainerSpec, record: ContainerRecord): Promise<boolean> {
    const policy = this.pullPolicy(spec);
    const present = this.ctx.puller.isPresent(spec.image);
    if (policy === 'Never' && !present) {
      const message = `Container image "${spec.image}" is not present with pull policy of Never`;
      record.waiting = { reason: 'ErrImageNeverPull', message };
      this.event('Warning', 'ErrImageNeverPull', message, spec.name);
      return false;
    }
    if (present && policy !== 'Always') {
      this.event('Normal', 'Pulled', `Container image "${spec.image}" already present on machine`, spec.name);
      return true;
    }
    const key = `${this.uid}_${spec.image}`;
    if (this.ctx.pullBackOff.isInBackOffSinceUpdate(key)) {
      const message = `Back-off pulling image "${spec.image}"`;
      if (record.waiting?.reason !== 'ImagePullBackOff') {
        this.event('Normal', 'BackOff', message, spec.name);
        this.event('Warning', 'Failed', 'Error: ImagePullBackOff', spec.name);
      }
      record.waiting = { reason: 'ImagePullBackOff', message };
      this.kick(this.ctx.pullBackOff.delayInMs(key));
      return false;
    }
    this.event('Normal', 'Pulling', `Pulling image "${spec.image}"`, spec.name);
    try {
      const { durationInMs } = await this.ctx.puller.pull(spec.image);
      const took = goShortDuration(durationInMs);
      this.event('Normal', 'Pulled', `Successfully pulled image "${spec.image}" in ${took} (${took} including waiting)`, spec.name);
      return true;
    } catch (error) {
      if (!(error instanceof ImagePullError)) throw error;
      record.waiting = { reason: 'ErrImagePull', message: error.message };
      this.event('Warning', 'Failed', `Failed to pull image "${spec.image}": ${error.message}`, spec.name);
      this.event('Warning', 'Failed', 'Error: ErrImagePull', spec.name);
      this.ctx.pullBackOff.next(key, this.ctx.now());
      this.kick(1000);
      return false;
    }
  }

  private async startContainer(spec: ContainerSpec, record: ContainerRecord): Promise<void> {
    if (!(await this.ensureImage(spec, record))) return;
    let env: string[];
    try {
      env = containerEnvironment(this.ctx.store, this.pod, spec, this.podIP ?? '', this.hostIP ?? '');
    } catch (error) {
      if (!(error instanceof ContainerConfigError)) throw error;
      if (record.waiting?.message !== error.message) this.event('Warning', 'Failed', `Error: ${error.message}`, spec.name);
      record.waiting = { reason: 'CreateContainerConfigError', message: error.message };
      this.kick(2000);
      return;
    }
    if (this.deleted || !this.sandboxId) return;
    const attempt = record.attempts++;
    const id = await this.ctx.docker.createContainer(dockerName(this.ctx.clusterPrefix, this.pod, spec.name, attempt), containerBody(this.ctx.clusterPrefix, this.pod, spec, env, this.sandboxId, volumeBinds(spec.volumeMounts, this.volumes ?? new Map())));
    this.event('Normal', 'Created', `Created container ${spec.name}`, spec.name);
    if (record.exited) {
      if (record.previousId) await this.ctx.docker.removeContainer(record.previousId);
      record.previousId = record.currentId;
      record.lastTermination = record.exited;
      record.exited = undefined;
      record.restartCount += 1;
    } else if (record.currentId) {
      await this.ctx.docker.removeContainer(record.currentId);
    }
    record.currentId = id;
    record.waiting = undefined;
    try {
      await this.ctx.docker.startContainer(id);
    } catch (error) {
      const message = (error as Error).message;
      const at = isoSeconds(this.ctx.now());
      record.exited = { exitCode: 128, reason: 'StartError', message, startedAt: at, finishedAt: at, containerID: CONTAINER_ID_PREFIX + id };
      record.exitedAtInMs = this.ctx.now();
      this.event('Warning', 'Failed', `Error: failed to start container "${spec.name}": ${message}`, spec.name);
      return;
    }
    if (this.deleted) return;
    this.event('Normal', 'Started', `Started container ${spec.name}`, spec.name);
    const startedAt = isoSeconds(this.ctx.now());
    // The kubelet sees a started container in its next relist (PLEG, every second): one that exits
    // at once is never reported running (and never counted ready or available).
    await new Promise((resolve) => setTimeout(resolve, this.ctx.relistPeriodInMs));
    if (this.deleted) return;
    const seen = await this.ctx.docker.inspectContainer(id);
    if (!seen?.State.Running) {
      record.running = { startedAt, containerID: CONTAINER_ID_PREFIX + id };
      await this.onContainerDied(id);
      return;
    }
    record.running = { startedAt, containerID: CONTAINER_ID_PREFIX + id };
    record.imageID = await this.ctx.extras.imageId(spec.image);
    record.ready = !spec.readinessProbe;
    record.started = !spec.startupProbe;
    this.startProbes(spec, record, id);
  }

  private startProbes(spec: ContainerSpec, record: ContainerRecord, containerId: string): void {
    for (const stop of record.stopProbes) stop();
    record.stopProbes = [];
    const target = { podIP: this.podIP ?? '', containerId };
    const events = {
      onFailure: (kind: ProbeKind, message: string) => this.event('Warning', 'Unhealthy', `${kind} probe failed: ${message}`, spec.name),
      onResult: (kind: ProbeKind, success: boolean) => this.onProbeResult(record, containerId, kind, success),
    };
    const probes: [ProbeKind, NonNullable<ContainerSpec['readinessProbe']>][] = [];
    if (spec.startupProbe) probes.push(['Startup', spec.startupProbe]);
    if (spec.readinessProbe) probes.push(['Readiness', spec.readinessProbe]);
    if (spec.livenessProbe) probes.push(['Liveness', spec.livenessProbe]);
    for (const [kind, probe] of probes) {
      record.stopProbes.push(
        startProbeWorker(
          kind,
          probe,
          async () => (kind !== 'Startup' && !record.started ? undefined : runProbe(probe, spec, target, this.ctx.extras)),
          events,
        ),
      );
    }
  }

  private onProbeResult(record: ContainerRecord, containerId: string, kind: ProbeKind, success: boolean): void {
    if (record.currentId !== containerId || !record.running) return;
    if (kind === 'Startup') {
      if (success) record.started = true;
      else this.killForProbe(record, containerId, 'startup');
    } else if (kind === 'Readiness') {
      if (!record.started) return;
      record.ready = success;
    } else if (!success && record.started) {
      this.killForProbe(record, containerId, 'liveness');
    }
    this.writeStatus();
  }

  private killForProbe(record: ContainerRecord, containerId: string, probe: string): void {
    this.event('Normal', 'Killing', `Container ${record.name} failed ${probe} probe, will be restarted`, record.name);
    const grace = this.pod.spec.terminationGracePeriodSeconds ?? 30;
    void this.ctx.docker.stopContainer(containerId, grace).catch((error: unknown) => this.ctx.onError(error));
  }

  /** The engine reported that one of this pod's containers exited. */
  async onContainerDied(dockerId: string): Promise<void> {
    const record = [...this.containers.values()].find((candidate) => candidate.currentId === dockerId);
    if (!record || this.deleted || !record.running) return;
    const inspect = await this.ctx.docker.inspectContainer(dockerId);
    if (!inspect || this.deleted || record.currentId !== dockerId) return;
    for (const stop of record.stopProbes) stop();
    record.stopProbes = [];
    const state = inspect.State;
    const finishedAtInMs = Date.parse(state.FinishedAt) || this.ctx.now();
    const termination: Termination = {
      exitCode: state.ExitCode,
      reason: state.OOMKilled ? 'OOMKilled' : state.ExitCode === 0 ? 'Completed' : 'Error',
      startedAt: record.running.startedAt,
      finishedAt: isoSeconds(finishedAtInMs),
      containerID: record.running.containerID,
    };
    record.running = undefined;
    record.ready = false;
    record.exited = termination;
    record.exitedAtInMs = finishedAtInMs;
    this.writeStatus();
    this.kick();
  }

  private writeStatus(): void {
    if (this.deleted) return;
    const fresh = this.ctx.store.get(PODS, this.namespace, this.name) as unknown as Pod | undefined;
    if (!fresh || fresh.metadata.uid !== this.uid) return;
    const status = podStatus(
      fresh,
      {
        scheduled: true,
        sandboxReady: this.sandboxId !== undefined && this.podIP !== undefined,
        ...(this.podIP ? { podIP: this.podIP } : {}),
        ...(this.hostIP ? { hostIP: this.hostIP } : {}),
        startTime: this.startTime,
        containers: fresh.spec.containers.map((spec) => {
          const record = this.containers.get(spec.name);
          return record ?? { name: spec.name, image: spec.image, imageID: '', restartCount: 0, ready: false, started: false };
        }),
      },
      isoSeconds(this.ctx.now()),
    );
    if (isDeepStrictEqual(fresh.status, status)) return;
    this.ctx.store.update(PODS, unconditional({ ...fresh, status }), { subresource: 'status' });
  }

  /** The pod was deleted: stop its containers (SIGTERM, then SIGKILL after the grace period) and remove them. */
  async terminate(graceful: boolean): Promise<void> {
    this.deleted = true;
    if (this.timer) clearTimeout(this.timer);
    const grace = graceful ? (this.pod.spec.terminationGracePeriodSeconds ?? 30) : 0;
    await Promise.all(
      [...this.containers.values()].map(async (record) => {
        for (const stop of record.stopProbes) stop();
        record.stopProbes = [];
        if (record.running && record.currentId && graceful) {
          this.event('Normal', 'Killing', `Stopping container ${record.name}`, record.name);
          await this.ctx.docker.stopContainer(record.currentId, grace).catch(() => undefined);
        }
        for (const id of [record.currentId, record.previousId]) if (id) await this.ctx.docker.removeContainer(id).catch(() => undefined);
      }),
    );
    // Wait for a sync in flight (it may be creating the sandbox or a container) before removing the sandbox.
    for (let waited = 0; this.syncing && waited < 100; waited++) await new Promise((resolve) => setTimeout(resolve, 50));
    for (const record of this.containers.values()) if (record.currentId) await this.ctx.docker.removeContainer(record.currentId).catch(() => undefined);
    if (this.sandboxId) await this.ctx.docker.removeContainer(this.sandboxId).catch(() => undefined);
    rmSync(this.volumeFolder, { recursive: true, force: true });
  }
}
