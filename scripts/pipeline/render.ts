/**
 * Shows a step's log in a terminal the way the pipeline's web view does: a header per step, `##[group]`
 * sections folded into an indented block with a title, errors and warnings marked, a footer with the
 * result and time. Pure: lines in, text out.
 */
import type { TaskRunResult } from '../agent/task-run';
import type { PipelineStep } from './model';

export interface Style {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
  green(text: string): string;
  cyan(text: string): string;
}

const paint =
  (code: string) =>
  (text: string): string =>
    `\u001b[${code}m${text}\u001b[0m`;

export function createStyle(color: boolean): Style {
  if (!color) {
    const plain = (text: string): string => text;
    return { bold: plain, dim: plain, red: plain, yellow: plain, green: plain, cyan: plain };
  }
  return { bold: paint('1'), dim: paint('2'), red: paint('31'), yellow: paint('33'), green: paint('32'), cyan: paint('36') };
}

export function stepHeader(step: PipelineStep, index: number, total: number, style: Style): string {
  const title = `Step ${index + 1}/${total}: ${step.displayName}`;
  const facts = [step.reference, `name: ${step.name}`, ...(step.continueOnError ? ['continueOnError'] : [])].join(', ');
  return `\n${style.bold(style.cyan(`━━ ${title}`))} ${style.dim(`(${facts})`)}`;
}

export function stepFooter(result: TaskRunResult | 'Skipped', durationInMs: number, style: Style, continuedOnError = false, skippedBecause: 'succeeded' | 'failed' | 'cancelled' = 'succeeded'): string {
  const seconds = `${(durationInMs / 1000).toFixed(1)} s`;
  if (result === 'Succeeded') return style.green(`✔ Succeeded in ${seconds}`);
  if (result === 'SucceededWithIssues') return style.yellow(`⚠ Succeeded with issues in ${seconds}`);
  if (result === 'Skipped') {
    const why = { failed: 'condition failed() and no earlier step failed', cancelled: 'the job was cancelled (only always() steps run then)', succeeded: 'an earlier step failed' }[skippedBecause];
    return style.dim(`○ Skipped: ${why}`);
  }
  if (result === 'Canceled') return style.yellow(`■ Canceled after ${seconds}`);
  return style.red(`✘ Failed in ${seconds}${continuedOnError ? ' (continueOnError: the job goes on)' : ''}`);
}

/** Turns the agent's log lines of one step into terminal lines. Keeps the open group between calls. */
export class LogRenderer {
  private inGroup = false;

  constructor(private readonly style: Style) {}

  render(line: string): string[] {
    const { style } = this;
    const command = /^##\[(\w+)\](.*)$/.exec(line);
    const kind = command?.[1]?.toLowerCase();
    const text = command?.[2] ?? line;
    switch (kind) {
      case 'group': {
        const lines = this.close();
        this.inGroup = true;
        return [...lines, `${style.bold('▼')} ${style.bold(text)}`];
      }
      case 'endgroup':
        return this.close();
      case 'section':
        return [style.bold(text)];
      case 'error':
        return [this.indent(style.red(`✘ ${text}`))];
      case 'warning':
        return [this.indent(style.yellow(`⚠ ${text}`))];
      case 'debug':
        return [this.indent(style.dim(`debug ${text}`))];
      case 'command':
        return [this.indent(style.cyan(`$ ${text}`))];
      default:
        return [this.indent(line)];
    }
  }

  /** Closes an open group (at the end of the step). */
  finish(): string[] {
    return this.close();
  }

  private close(): string[] {
    if (!this.inGroup) return [];
    this.inGroup = false;
    return [this.style.dim('└─')];
  }

  private indent(text: string): string {
    return this.inGroup ? `${this.style.dim('│')} ${text}` : text;
  }
}
