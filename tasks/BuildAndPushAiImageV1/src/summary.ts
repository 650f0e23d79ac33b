import type { ModelFile } from './model-files';
import { MODEL_LABEL, type ImageBuildPlan } from './plan';

export interface BuildReport {
  plan: ImageBuildPlan;
  digest?: string;
  imageUri?: string;
  sizeInBytes?: number;
  layerCount?: number;
  buildInMs: number;
  pushInMs?: number;
  /** Build steps (FROM aside) and how many came from the build cache, as docker printed them. */
  cache?: { steps: number; cachedSteps: number };
  modelFiles: readonly ModelFile[];
}

/** The Extensions-tab summary, as markdown. Pure. */
export function buildSummary(report: BuildReport): string {
  const { plan } = report;
  const rows: [string, string][] = [
    ['Image', code(plan.imageRepository)],
    ['Tags', plan.tags.map(code).join(', ')],
  ];
  if (report.digest) rows.push(['Digest', code(report.digest)]);
  if (report.imageUri) rows.push(['Image URI', code(report.imageUri)]);
  if (report.sizeInBytes !== undefined) {
    const layers = report.layerCount === undefined ? '' : `, ${report.layerCount} ${report.layerCount === 1 ? 'layer' : 'layers'}`;
    rows.push(['Size', `${formatBytes(report.sizeInBytes)} compressed${layers}`]);
  }
  const cache = report.cache !== undefined && report.cache.steps > 0 ? ` (${report.cache.cachedSteps} of ${report.cache.steps} steps from the build cache)` : '';
  rows.push(['Build', `${formatDuration(report.buildInMs)}${cache}`]);
  rows.push(['Push', report.pushInMs === undefined ? 'not pushed (input push is false)' : formatDuration(report.pushInMs)]);

  const lines = ['| | |', '|---|---|', ...rows.map(([key, value]) => `| ${key} | ${value} |`)];
  if (report.imageUri) lines.push('', `Pull this exact image with \`docker pull ${report.imageUri}\`.`);
  const modelName = plan.labels[MODEL_LABEL.name];
  if (modelName !== undefined) {
    lines.push('', '#### Model', '', '| | |', '|---|---|', `| Name | ${cell(modelName)} |`);
    const version = plan.labels[MODEL_LABEL.version];
    if (version !== undefined) lines.push(`| Version | ${cell(version)} |`);
    if (report.modelFiles.length > 0) {
      lines.push('', '| File | Size | SHA-256 |', '|---|---:|---|');
      for (const file of report.modelFiles) lines.push(`| ${code(file.path)} | ${formatBytes(file.size)} | ${code(file.sha256)} |`);
    }
  }
  const labels = Object.entries(plan.labels).filter(([key]) => key !== MODEL_LABEL.files);
  if (labels.length > 0) {
    lines.push('', '#### Labels', '', '| Label | Value |', '|---|---|');
    for (const [key, value] of labels) lines.push(`| ${code(key)} | ${cell(value)} |`);
  }
  return `${lines.join('\n')}\n`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 2 : 1)} ${units[unit] ?? 'TiB'}`;
}

/** '12.3 s' under a minute, '2 min 05 s' above. */
export function formatDuration(ms: number): string {
  if (ms < 59_950) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, '0')} s`;
}

/** Inline code that survives backticks and pipes in the value. */
function code(text: string): string {
  const safe = text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
  return safe.includes('`') ? `\`\` ${safe} \`\`` : `\`${safe}\``;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ').replace(/[<>]/g, (c) => (c === '<' ? '&lt;' : '&gt;'));
}
