/**
 * A pod's volumes as host folders bind-mounted into its containers (what the kubelet's volume manager
 * sets up): emptyDir empty, configMap and secret with one file per key (or per `items` entry, secret
 * values base64-decoded, `defaultMode`/`mode` applied). A missing ConfigMap or Secret (not optional)
 * fails the mount with the kubelet's FailedMount message, and the pod waits in ContainerCreating.
 * Other volume types are refused the same way, rather than silently left out.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import type { Pod } from '../kube-types';
import type { ObjectStore } from '../store/object-store';
import { CONFIG_MAPS, SECRETS } from '../store/resource-types';

export class MountError extends Error {}

interface KeyToPath {
  key: string;
  path: string;
  mode?: number;
}

interface VolumeSpec {
  name: string;
  emptyDir?: Record<string, unknown>;
  configMap?: { name: string; items?: KeyToPath[]; defaultMode?: number; optional?: boolean };
  secret?: { secretName: string; items?: KeyToPath[]; defaultMode?: number; optional?: boolean };
}

export interface VolumeMount {
  name: string;
  mountPath: string;
  readOnly?: boolean;
  subPath?: string;
}

/** Writes the pod's volumes under `folder`; returns the host folder of each volume. */
export function preparePodVolumes(store: ObjectStore, pod: Pod, folder: string): Map<string, string> {
  const namespace = pod.metadata.namespace ?? 'default';
  const folders = new Map<string, string>();
  for (const volume of (pod.spec.volumes ?? []) as VolumeSpec[]) {
    const target = join(folder, volume.name.replace(/[^a-zA-Z0-9_.-]/g, '_'));
    rmSync(target, { recursive: true, force: true });
    mkdirSync(target, { recursive: true, mode: 0o777 });
    if (volume.configMap) {
      const map = store.get(CONFIG_MAPS, namespace, volume.configMap.name) as { data?: Record<string, string>; binaryData?: Record<string, string> } | undefined;
      if (!map && !volume.configMap.optional) throw new MountError(`MountVolume.SetUp failed for volume "${volume.name}" : configmap "${volume.configMap.name}" not found`);
      const values = new Map<string, Buffer>([
        ...Object.entries(map?.data ?? {}).map(([key, value]): [string, Buffer] => [key, Buffer.from(value, 'utf8')]),
        ...Object.entries(map?.binaryData ?? {}).map(([key, value]): [string, Buffer] => [key, Buffer.from(value, 'base64')]),
      ]);
      writeKeys(target, volume.name, values, volume.configMap.items, volume.configMap.defaultMode ?? 0o644);
    } else if (volume.secret) {
      const secret = store.get(SECRETS, namespace, volume.secret.secretName) as { data?: Record<string, string> } | undefined;
      if (!secret && !volume.secret.optional) throw new MountError(`MountVolume.SetUp failed for volume "${volume.name}" : secret "${volume.secret.secretName}" not found`);
      const values = new Map(Object.entries(secret?.data ?? {}).map(([key, value]): [string, Buffer] => [key, Buffer.from(value, 'base64')]));
      writeKeys(target, volume.name, values, volume.secret.items, volume.secret.defaultMode ?? 0o644);
    } else if (!volume.emptyDir) {
      const kind = Object.keys(volume).find((key) => key !== 'name') ?? 'unknown';
      throw new MountError(`MountVolume.SetUp failed for volume "${volume.name}" : the local cluster's nodes support emptyDir, configMap and secret volumes, not ${kind}`);
    }
    folders.set(volume.name, target);
  }
  return folders;
}

function writeKeys(target: string, volume: string, values: ReadonlyMap<string, Buffer>, items: readonly KeyToPath[] | undefined, defaultMode: number): void {
  const entries = items ? items.map((item) => ({ key: item.key, path: item.path, mode: item.mode ?? defaultMode })) : [...values.keys()].map((key) => ({ key, path: key, mode: defaultMode }));
  for (const entry of entries) {
    const value = values.get(entry.key);
    if (value === undefined) throw new MountError(`MountVolume.SetUp failed for volume "${volume}" : configmap references non-existent config key: ${entry.key}`);
    const file = normalize(join(target, entry.path));
    if (!file.startsWith(`${target}/`)) throw new MountError(`MountVolume.SetUp failed for volume "${volume}" : invalid path ${entry.path}`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, value, { mode: entry.mode });
  }
}

/** Docker binds for a container's volumeMounts. */
export function volumeBinds(mounts: readonly VolumeMount[] | undefined, folders: ReadonlyMap<string, string>): string[] {
  return (mounts ?? []).flatMap((mount) => {
    const folder = folders.get(mount.name);
    if (!folder) return [];
    const source = mount.subPath ? join(folder, mount.subPath) : folder;
    return [`${source}:${mount.mountPath}${mount.readOnly ? ':ro' : ''}`];
  });
}
