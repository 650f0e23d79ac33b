import * as fs from 'node:fs';
import { type LoggingCommand, parseLoggingCommand } from './logging-command';
import { SecretMasker } from './secret-masker';
import type { TaskIssue, TaskRun, TaskRunResult, TaskSummary, TaskTestResults, TaskVariable } from './task-run';

const RESULTS: Record<string, TaskRunResult> = {
  succeeded: 'Succeeded',
  succeededwithissues: 'SucceededWithIssues',
  failed: 'Failed',
};

type Collected = Omit<TaskRun, 'exitCode' | 'timedOut' | 'stdout' | 'stderr'>;

/**
 * Consumes the task's output line by line as the agent does: runs the logging commands, and keeps the
 * log the agent would show (secrets masked with the secrets known at the time the line was written).
 */
export class OutputProcessor {
  private readonly masker = new SecretMasker();
  private readonly logLines: string[] = [];
  private result: TaskRunResult | undefined;
  private message: string | undefined;
  private readonly variables: Record<string, TaskVariable> = {};
  private readonly issues: TaskIssue[] = [];
  private readonly summaries: TaskSummary[] = [];
  private readonly testResults: TaskTestResults[] = [];
  private readonly attachments: { type: string; name: string; content: string }[] = [];

  constructor(
    secrets: readonly string[],
    private readonly options: { debug: boolean; onLine?: (line: string) => void },
  ) {
    for (const secret of secrets) this.masker.add(secret);
  }

  line(raw: string): void {
    const command = parseLoggingCommand(raw);
    if (command === undefined) {
      this.show(raw);
      return;
    }
    this.run(command);
    // With system.debug the agent echoes each command it processed (after masking).
    if (this.options.debug && command.area === 'task' && command.event !== 'debug') this.show(`##[debug]Processed: ${raw}`);
  }

  collected(): Collected {
    const mask = (text: string): string => this.masker.mask(text);
    return {
      result: this.result,
      ...(this.message === undefined ? {} : { message: mask(this.message) }),
      variables: this.variables,
      issues: this.issues.map((issue) => ({ ...issue, message: mask(issue.message) })),
      summaries: this.summaries,
      testResults: this.testResults,
      attachments: this.attachments,
      log: this.logLines.join('\n'),
      secrets: this.masker.secrets(),
    };
  }

  private show(line: string): void {
    const masked = this.masker.mask(line);
    this.logLines.push(masked);
    this.options.onLine?.(masked);
  }

  private run(command: LoggingCommand): void {
    const { properties: p, message } = command;
    switch (`${command.area}.${command.event}`) {
      case 'task.setsecret':
        this.masker.add(message);
        return;
      case 'task.setvariable': {
        const name = p.variable ?? '';
        const isSecret = isTrue(p.issecret);
        if (isSecret) this.masker.add(message);
        if (name !== '') this.variables[name] = { value: message, isOutput: isTrue(p.isoutput), isSecret };
        return;
      }
      case 'task.complete':
        this.result = RESULTS[(p.result ?? '').toLowerCase()] ?? this.result;
        if (message !== '') this.message = message;
        return;
      case 'task.logissue':
      case 'task.issue': {
        const type = (p.type ?? '').toLowerCase() === 'error' ? 'error' : 'warning';
        this.issues.push({ type, message });
        this.show(`##[${type}]${message}`);
        return;
      }
      case 'task.debug':
        if (this.options.debug) this.show(`##[debug]${message}`);
        return;
      case 'task.addattachment': {
        const type = p.type ?? '';
        const name = p.name ?? '';
        const content = readIfExists(message);
        if (type.toLowerCase() === 'distributedtask.core.summary') this.summaries.push({ name, content });
        else this.attachments.push({ type, name, content });
        return;
      }
      case 'task.uploadsummary':
        this.summaries.push({ name: message.split(/[\\/]/).pop() ?? message, content: readIfExists(message) });
        return;
      case 'results.publish': {
        const files = (p.resultfiles ?? '').split(',').map((f) => f.trim()).filter((f) => f !== '');
        this.testResults.push({
          type: p.type ?? '',
          files,
          ...(p.testruntitle === undefined ? {} : { title: p.testruntitle }),
          contents: files.map(readIfExists),
        });
        return;
      }
      default:
        // Other commands (task.prependpath, task.progress, build.*, artifact.*) are consumed silently.
        return;
    }
  }
}

function isTrue(value: string | undefined): boolean {
  return (value ?? '').trim().toLowerCase() === 'true';
}

function readIfExists(file: string): string {
  try {
    return fs.readFileSync(file.trim(), 'utf8');
  } catch {
    return '';
  }
}
