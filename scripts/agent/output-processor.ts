import * as fs from 'node:fs';
import * as path from 'node:path';
import { readJUnitOutcome } from './junit-results';
import { type LoggingCommand, escapeValue, parseLoggingCommand } from './logging-command';
import { SecretMasker } from './secret-masker';
import { type TaskResultValue, asRunResult, parseTaskResult, worstResult } from './task-result';
import type { TaskIssue, TaskRun, TaskSummary, TaskTestResults, TaskVariable } from './task-run';

type Collected = Pick<
  TaskRun,
  'taskResult' | 'message' | 'commandErrors' | 'variables' | 'issues' | 'summaries' | 'testResults' | 'attachments' | 'log' | 'secrets' | 'registeredSecrets' | 'prependPath'
>;

export interface OutputProcessorOptions {
  debug: boolean;
  onLine?: (line: string) => void;
  /** task.json `outputVariables`: setvariable of one of these is an output even without isOutput. */
  outputVariables?: readonly string[];
  /** The job's read-only variables (lower case, see read-only-variables.ts). */
  readOnlyVariables?: ReadonlySet<string>;
  /** `agent.readOnlyVariables` is true: overwriting one fails the command instead of warning. */
  enforceReadOnlyVariables?: boolean;
  /** task.complete with done=true (TaskCompleteCommand -> ExecutionContext.ForceTaskComplete). */
  onDone?: () => void;
}

/** A command the agent refuses: it logs the reason and fails the step (WorkerCommandManager.TryProcessCommand). */
class CommandRefused extends Error {}

/**
 * Path.GetInvalidFileNameChars() on Windows: the agent checks attachment names and types against the
 * agent OS's list (TaskCommandExtension.cs `AddAttachment`); tasks run on Windows agents too, so the
 * local agent refuses what a Windows agent refuses.
 */
// eslint-disable-next-line no-control-regex
const WINDOWS_INVALID_FILE_NAME_CHARACTERS = /["<>|:*?\\/\u0000-\u001f]/;

/** The test runners the agent has parsers for (TestResults/*ResultReader.cs, Parser.cs), lower case. */
const KNOWN_TEST_RUNNERS = new Set(['junit', 'nunit', 'vstest', 'xunit', 'ctest', 'containerstructure']);

/** The areas the agent knows (WorkerCommandManager's extensions); an unknown area is only a warning. */
const KNOWN_AREAS = new Set(['task', 'artifact', 'build', 'release', 'results', 'codecoverage', 'telemetry', 'plugininternal']);
/** src/Agent.Worker/TaskCommandExtension.cs: the task area's commands (names and aliases). */
const TASK_EVENTS = new Set([
  'logdetail',
  'uploadsummary',
  'uploadfile',
  'addattachment',
  'logissue',
  'issue',
  'complete',
  'setprogress',
  'setsecret',
  'setvariable',
  'debug',
  'settaskvariable',
  'setendpoint',
  'prependpath',
]);

/**
 * Consumes the task's output line by line as the agent does: runs the logging commands
 * (src/Agent.Worker/WorkerCommandManager.cs `TryProcessCommand`, TaskCommandExtension.cs,
 * TestResults/ResultsCommandExtension.cs), and keeps the log the agent would show (secrets masked with
 * the secrets known when the line was written).
 */
export class OutputProcessor {
  private readonly masker = new SecretMasker();
  private readonly logLines: string[] = [];
  private result: TaskResultValue | undefined;
  private message: string | undefined;
  private readonly commandErrors: string[] = [];
  private readonly registered = new Set<string>();
  private readonly variables: Record<string, TaskVariable> = {};
  private readonly issues: TaskIssue[] = [];
  private readonly summaries: TaskSummary[] = [];
  private readonly testResults: TaskTestResults[] = [];
  private readonly attachments: { type: string; name: string; content: string }[] = [];
  private readonly prependPath: string[] = [];
  private readonly readOnlySetHere = new Set<string>();

  constructor(
    secrets: readonly string[] | SecretMasker,
    private readonly options: OutputProcessorOptions,
  ) {
    if (secrets instanceof SecretMasker) this.masker = secrets;
    else for (const secret of secrets) this.masker.add(secret);
  }

  line(raw: string): void {
    const command = parseLoggingCommand(raw);
    if (command === undefined) {
      // WorkerCommandManager: a line with '##vso' that is not a legal command gets a warning.
      if (raw.includes('##vso')) this.warn(`'${raw}' contains logging command keyword '##vso', but it's not a legal command.`);
      this.show(raw);
      return;
    }
    if (!KNOWN_AREAS.has(command.area)) {
      this.warn(`##vso[${command.area}.command] is not a recognized command for Azure Pipelines.`);
      return;
    }
    try {
      this.run(command);
    } catch (error) {
      if (!(error instanceof CommandRefused)) throw error;
      this.refuse(raw, error.message);
    }
    // With system.debug the agent traces each command it processed, task.debug excepted.
    if (this.options.debug && !(command.area === 'task' && command.event === 'debug')) this.show(`##[debug]Processed: ${raw}`);
  }

  collected(): Collected {
    const mask = (text: string): string => this.masker.mask(text);
    return {
      taskResult: this.result === undefined ? undefined : asRunResult(this.result),
      ...(this.message === undefined ? {} : { message: mask(this.message) }),
      commandErrors: this.commandErrors.map(mask),
      variables: this.variables,
      issues: this.issues.map((issue) => ({ ...issue, message: mask(issue.message) })),
      summaries: this.summaries,
      testResults: this.testResults,
      attachments: this.attachments,
      log: this.logLines.join('\n'),
      secrets: this.masker.secrets(),
      registeredSecrets: [...this.registered],
      prependPath: [...this.prependPath],
    };
  }

  /** Adds an error line and issue, as the agent does for its own failures (timeouts, exit codes). */
  error(message: string): void {
    this.issues.push({ type: 'error', message });
    this.show(`##[error]${message}`);
  }

  private show(line: string): void {
    const masked = this.masker.mask(line);
    this.logLines.push(masked);
    this.options.onLine?.(masked);
  }

  /** A debug line of the agent's own (shown with system.debug only). */
  debug(message: string): void {
    if (this.options.debug) this.show(`##[debug]${message}`);
  }

  /** Adds a warning line and issue. */
  warn(message: string): void {
    this.issues.push({ type: 'warning', message });
    this.show(`##[warning]${message}`);
  }

  private refuse(raw: string, reason: string): void {
    const message = `Unable to process command '${raw}' successfully. ${reason}`;
    this.commandErrors.push(message);
    this.error(message);
  }

  private run(command: LoggingCommand): void {
    if (command.area === 'task' && !TASK_EVENTS.has(command.event)) {
      throw new CommandRefused(`##vso[task.${command.event}] is not a recognized command for Task command extension.`);
    }
    const { properties: p, message } = command;
    switch (`${command.area}.${command.event}`) {
      case 'task.setsecret':
        this.masker.add(message);
        if (message.trim() !== '') this.registered.add(message);
        return;
      case 'task.setvariable':
        this.setVariable(p, message);
        return;
      case 'task.complete': {
        // TaskCompleteCommand: Enum.TryParse<TaskResult> (exact case) or the step fails; the worst result wins.
        const result = parseTaskResult(p.result);
        if (result === undefined) throw new CommandRefused(`Invalid or missing task result: '${p.result ?? ''}'.`);
        this.result = worstResult(this.result, result);
        if (message !== '') this.message = message;
        // StringUtil.ConvertToBoolean: 1, true, $true in any case.
        if (['1', 'true', '$true'].includes((p.done ?? '').toLowerCase())) this.options.onDone?.();
        return;
      }
      case 'task.logissue':
      case 'task.issue': {
        // TaskIssueCommand.CreateIssue: only error and warning (any case); no type is a warning line.
        const type = p.type;
        if (type === undefined) {
          this.warn("Can't create TaskIssue from logging event.");
          return;
        }
        const lower = type.toLowerCase();
        if (lower !== 'error' && lower !== 'warning') throw new CommandRefused(`issue type ${type} is not an expected issue type.`);
        this.issues.push({ type: lower, message });
        this.show(`##[${lower}]${message}`);
        return;
      }
      case 'task.debug':
        if (this.options.debug) this.show(`##[debug]${message}`);
        return;
      case 'task.addattachment':
        this.addAttachment(p.type, p.name, message);
        return;
      case 'task.uploadsummary':
        if (message === '') throw new CommandRefused('Cannot upload summary file: the file path is empty.');
        this.addAttachment('Distributedtask.Core.Summary', path.basename(message), message);
        return;
      case 'task.uploadfile':
        if (message === '') throw new CommandRefused('Cannot upload file: the file path is empty.');
        this.addAttachment('DistributedTask.Core.FileAttachment', path.basename(message), message);
        return;
      case 'task.prependpath': {
        // TaskPrepandPathCommand: ArgUtil.NotNullOrEmpty(data), then moved to the end of the job's list.
        if (message === '') throw new CommandRefused("Value cannot be null. (Parameter 'prependpath')");
        const index = this.prependPath.indexOf(message);
        if (index >= 0) this.prependPath.splice(index, 1);
        this.prependPath.push(message);
        return;
      }
      case 'results.publish':
        this.publishResults(p, message);
        return;
      default:
        // Other known commands (task.setprogress, build.*, artifact.*) are consumed silently.
        return;
    }
  }

  /** TaskSetVariableCommand.Execute and ExecutionContext.SetVariable. */
  private setVariable(p: Record<string, string>, message: string): void {
    const name = p.variable;
    if (name === undefined || name === '') throw new CommandRefused('Variable name is required (property "variable").');
    if (this.options.readOnlyVariables?.has(name.toLowerCase()) === true || this.readOnlySetHere.has(name.toLowerCase())) {
      const doc = 'See https://github.com/microsoft/azure-pipelines-yaml/blob/master/design/readonly-variables.md for details.';
      if (this.options.enforceReadOnlyVariables) throw new CommandRefused(`Overwriting readonly variable '${name}' is not permitted. ${doc}`);
      this.warn(`Overwriting readonly variable '${name}'. This behavior will be disabled in the future. ${doc}`);
    }
    const isSecret = parseBoolean(p.issecret);
    if (isSecret) {
      // AgentKnobs.AllowUnsafeMultilineSecret is off by default: Environment.NewLine is '\n' on Linux.
      if (message.includes('\n')) throw new CommandRefused('Multi-line secrets are not allowed.');
      this.masker.add(escapeValue(message));
      this.masker.add(message);
      if (message.trim() !== '') this.registered.add(message);
    }
    const isOutput = parseBoolean(p.isoutput) || (this.options.outputVariables ?? []).includes(name);
    const isReadOnly = parseBoolean(p.isreadonly);
    if (isReadOnly) this.readOnlySetHere.add(name.toLowerCase());
    this.variables[name] = { value: message, isOutput, isSecret, ...(isReadOnly ? { isReadOnly: true as const } : {}) };
  }

  /** TaskAddAttachmentCommand.AddAttachment. */
  private addAttachment(type: string | undefined, name: string | undefined, file: string): void {
    if (type === undefined || type === '') throw new CommandRefused('Attachment type is required.');
    if (name === undefined || name === '') throw new CommandRefused('Attachment name is required.');
    if (WINDOWS_INVALID_FILE_NAME_CHARACTERS.test(type)) throw new CommandRefused(`Type contains invalid characters: '${type}'.`);
    if (WINDOWS_INVALID_FILE_NAME_CHARACTERS.test(name)) throw new CommandRefused(`Name contains invalid characters: '${name}'.`);
    if (file === '' || !path.isAbsolute(file) || !isFile(file)) throw new CommandRefused(`Cannot find the attachment file '${file}'.`);
    const content = fs.readFileSync(file, 'utf8');
    if (type.toLowerCase() === 'distributedtask.core.summary') this.summaries.push({ name, content });
    else this.attachments.push({ type, name, content });
  }

  /**
   * TestResults/ResultsCommandExtension.cs `PublishTestResultsCommand`: the files come from the data (comma
   * separated) or else `resultFiles`, and the runner from `type`, both required (the command fails without);
   * the title is `runTitle`. Publishing runs at the end of the step (TestDataPublisher.PublishAsync): a file
   * that cannot be read or parsed, or an unknown runner, is only a warning ('Failed to publish test run
   * data: ...'), never a failed step; failed tests fail the step only with `failTaskOnFailedTests=true`.
   * JUnit files are parsed here; the other runners' formats are not checked locally.
   */
  private publishResults(p: Record<string, string>, data: string): void {
    const files = (data.trim() !== '' ? data : (p.resultfiles ?? '')).split(',').filter((file) => file !== '');
    if (files.length === 0) throw new CommandRefused("Argument 'TestResults' is required (property resultFiles).");
    if (p.type === undefined || p.type === '') throw new CommandRefused("Argument 'Testrunner' is required (property type).");
    this.testResults.push({
      type: p.type,
      files,
      ...(p.runtitle === undefined ? {} : { title: p.runtitle }),
      contents: files.map((file) => (isFile(file) ? fs.readFileSync(file, 'utf8') : '')),
    });
    const runner = p.type.toLowerCase();
    if (!KNOWN_TEST_RUNNERS.has(runner)) {
      this.warn('Failed to publish test run data: System.ArgumentException: Unknown test runner');
      return;
    }
    if (runner !== 'junit') return;
    let failed = 0;
    for (const file of files) {
      try {
        if (!isFile(file)) throw new Error(`Could not find file '${file}'.`);
        failed += readJUnitOutcome(fs.readFileSync(file, 'utf8')).failed;
      } catch (error) {
        this.warn(`Failed to publish test run data: ${file}: ${error instanceof Error ? error.message : String(error)}`);
        return;
      }
    }
    if (failed > 0 && parseBoolean(p.failtaskonfailedtests)) {
      this.result = worstResult(this.result, 'Failed');
      this.error('There are one or more test failures detected in result files. Detailed summary of published test results can be viewed in the Tests tab.');
    }
  }
}

/** Boolean.TryParse: 'true'/'false' in any case, surrounding white space allowed; anything else is false. */
function parseBoolean(value: string | undefined): boolean {
  return (value ?? '').trim().toLowerCase() === 'true';
}

function isFile(file: string): boolean {
  return fs.statSync(file, { throwIfNoEntry: false })?.isFile() ?? false;
}
