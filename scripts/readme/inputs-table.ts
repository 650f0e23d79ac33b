/** Markdown tables of a task's inputs and output variables, generated from its task.json. */
import type { TaskJson } from '../task-json';

/** What the tables read of a task.json. */
export type TaskJsonForDocs = Pick<TaskJson, 'groups' | 'inputs' | 'outputVariables'>;

const CONNECTION_TYPES: Record<string, string> = {
  'connectedService:AzureRM': 'Azure Resource Manager service connection',
  'connectedService:dockerregistry': 'Docker registry service connection',
};

const TYPES: Record<string, string> = {
  boolean: 'boolean',
  string: 'string',
  multiLine: 'multi-line',
  pickList: 'pick list',
  radio: 'radio',
  int: 'integer',
  filePath: 'file path',
  secureFile: 'secure file',
};

function cell(text: string): string {
  return text.replace(/\r?\n+/g, ' ').replace(/\|/g, '\\|').trim();
}

function typeOf(type: string): string {
  return CONNECTION_TYPES[type] ?? (type.startsWith('connectedService:') ? `service connection (${type.slice('connectedService:'.length)})` : (TYPES[type] ?? type));
}

export function inputsTable(task: TaskJsonForDocs): string {
  const groups = new Map((task.groups ?? []).map((group) => [group.name, group.displayName]));
  const rows = (task.inputs ?? []).map((input) => {
    const name = [`\`${input.name}\``, ...(input.aliases ?? []).map((alias) => `\`${alias}\``)].join('<br>alias ');
    const options = Object.keys(input.options ?? {});
    const description = [
      input.helpMarkDown ?? '',
      options.length === 0 ? '' : `${editable(input) ? 'Offered' : 'One of'}: ${options.map((option) => `\`${option}\``).join(', ')}${editable(input) ? ' (other values are accepted)' : ''}.`,
      input.visibleRule ? `Used when \`${input.visibleRule}\`.` : '',
    ]
      .filter((part) => part !== '')
      .join(' ');
    const defaultValue = input.defaultValue === undefined || input.defaultValue === '' ? '' : `\`${String(input.defaultValue)}\``;
    const group = input.groupName ? (groups.get(input.groupName) ?? input.groupName) : '';
    return `| ${name} | ${cell(input.label ?? '')} | ${cell(typeOf(input.type))} | ${input.required ? 'yes' : 'no'} | ${cell(defaultValue)} | ${cell(group)} | ${cell(description)} |`;
  });
  return ['| Input | Label | Type | Required | Default | Group | Description |', '|---|---|---|---|---|---|---|', ...rows].join('\n');
}

export function outputsTable(task: TaskJsonForDocs): string {
  const rows = (task.outputVariables ?? []).map((output) => `| \`${output.name}\` | ${cell(output.description ?? '')} |`);
  return ['| Output variable | Description |', '|---|---|', ...rows].join('\n');
}

/** A pick list the user may type into (`properties.EditableOptions`): its options are suggestions. */
function editable(input: { properties?: Record<string, string> }): boolean {
  return input.properties?.EditableOptions?.toLowerCase() === 'true';
}
