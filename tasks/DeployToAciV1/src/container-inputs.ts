/** Reads the container's inputs: names, image, resources (cpu, memory, GPUs), command and restart policy. */
import { readImageInput } from '../../common/deploy-inputs/image-input';
import { invalidInput } from '../../common/errors';
import type { InputReader } from '../../common/input-reader';
import { parseCommand } from './command-line';
import { GPU_SKUS, INPUT, type InputName, OS_TYPES, RESTART_POLICIES, optional } from './input-names';
import { checkResourceName } from './input-rules';
import type { DeployInputContext, DeployInputs } from './input-types';

type ContainerInputs = Pick<
  DeployInputs,
  'containerGroupName' | 'containerName' | 'image' | 'imageSource' | 'osType' | 'cpu' | 'memoryInGB' | 'gpu' | 'command' | 'restartPolicy'
>;

export function readContainerInputs(read: InputReader<InputName>, context: DeployInputContext): ContainerInputs {
  const containerGroupName = checkResourceName(INPUT.containerGroupName, read.required(INPUT.containerGroupName));
  const containerNameInput = read.string(INPUT.containerName);
  return {
    containerGroupName,
    containerName: containerNameInput === undefined ? containerGroupName : checkResourceName(INPUT.containerName, containerNameInput),
    ...readImageInput(read, context),
    osType: read.enumValue(INPUT.osType, OS_TYPES, 'Linux'),
    cpu: readCpu(read),
    memoryInGB: readMemory(read),
    ...optional('gpu', readGpu(read)),
    command: parseCommand(INPUT.command, read.raw(INPUT.command)),
    restartPolicy: read.enumValue(INPUT.restartPolicy, RESTART_POLICIES, 'Always'),
  };
}

function readCpu(read: InputReader<InputName>): number {
  const cpu = read.number(INPUT.cpu, { min: 0.1, max: 32 }, 1);
  if (Math.abs(Math.round(cpu * 100) - cpu * 100) > 1e-6) throw invalidInput(INPUT.cpu, 'a number of cores from 0.1 to 32 with at most 2 decimals', String(cpu));
  return cpu;
}

function readMemory(read: InputReader<InputName>): number {
  const memory = read.number(INPUT.memoryInGB, { min: 0.1, max: 256 }, 1.5);
  if (Math.abs(Math.round(memory * 10) - memory * 10) > 1e-6) {
    throw invalidInput(INPUT.memoryInGB, 'a number of GB from 0.1 to 256 in steps of 0.1 (e.g. 1.5)', read.string(INPUT.memoryInGB) ?? '');
  }
  return memory;
}

function readGpu(read: InputReader<InputName>): DeployInputs['gpu'] {
  const count = read.integer(INPUT.gpuCount, { min: 0, max: 4 }, 0);
  if (count === 0) return undefined;
  return { count, sku: read.enumValue(INPUT.gpuSku, GPU_SKUS, 'V100') };
}
