// Just enough of Python's argparse to refuse what the real CLIs refuse, with its messages and
// exit status 2: unknown options, bad choices, bad types, missing values, prefix matching.

export class ArgparseExit extends Error {}

const str2bool = (strict) => (value) => {
  const table = strict ? { True: true, False: false } : { true: true, false: false };
  const key = strict ? value : value.toLowerCase();
  if (key in table) return table[key];
  throw new Error(`Expected one of ${strict ? "{'True', 'False'}" : "{'true', 'false'}"}, got ${value}`);
};

export const types = {
  str: (v) => v,
  int: (v) => {
    if (!/^\s*[-+]?\d+\s*$/.test(v)) throw new Error('invalid');
    return Number.parseInt(v, 10);
  },
  float: (v) => {
    const n = Number(v);
    if (v.trim() === '' || Number.isNaN(n)) throw new Error('invalid');
    return n;
  },
  optional_int: (v) => (v === 'None' ? null : types.int(v)),
  optional_float: (v) => (v === 'None' ? null : types.float(v)),
  str2bool: str2bool(true),
  str2bool_lenient: str2bool(false),
};

/**
 * spec.options: [{ flags: ['--model', '-m'], type: 'str', choices?: [...], action?: 'version' | 'help' }]
 * spec.positional: { name, nargs: '+' | '*' }
 */
export function parseArgs(prog, spec, argv, out = { stdout: process.stdout, stderr: process.stderr }) {
  const usage = `usage: ${prog} [-h] ${spec.options
    .filter((o) => o.action !== 'help')
    .slice(0, 6)
    .map((o) => `[${o.flags[0]}${o.action ? '' : ` ${o.flags[0].replace(/^-+/, '').toUpperCase()}`}]`)
    .join(' ')} ... ${spec.positional.name} [${spec.positional.name} ...]`;
  const fail = (message) => {
    out.stderr.write(`${usage}\n${prog}: error: ${message}\n`);
    throw new ArgparseExit('2');
  };
  const byFlag = new Map();
  for (const option of spec.options) for (const flag of option.flags) byFlag.set(flag, option);
  const lookup = (flag) => {
    if (byFlag.has(flag)) return byFlag.get(flag);
    if (!flag.startsWith('--')) return undefined;
    const matches = [...byFlag.keys()].filter((k) => k.startsWith('--') && k.startsWith(flag));
    if (matches.length > 1) fail(`ambiguous option: ${flag} could match ${matches.join(', ')}`);
    return matches.length === 1 ? byFlag.get(matches[0]) : undefined;
  };

  const values = {};
  for (const option of spec.options) if ('default' in option) values[dest(option)] = option.default;
  const positional = [];
  const unknown = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-' || /^-\d/.test(arg)) {
      positional.push(arg);
      continue;
    }
    const [flag, inline] =
      arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const option = lookup(flag);
    if (!option) {
      unknown.push(arg);
      continue;
    }
    if (option.action === 'help') {
      out.stdout.write(`${usage}\n\noptions:\n  -h, --help            show this help message and exit\n`);
      throw new ArgparseExit('0');
    }
    if (option.action === 'version') {
      out.stdout.write(`${option.version}\n`);
      throw new ArgparseExit('0');
    }
    const name = option.flags.join('/');
    const raw =
      inline ??
      (i + 1 < argv.length && !(argv[i + 1].startsWith('-') && argv[i + 1].length > 1 && !/^-\d/.test(argv[i + 1]))
        ? argv[++i]
        : undefined);
    if (raw === undefined) fail(`argument ${name}: expected one argument`);
    let value;
    try {
      value = types[option.type ?? 'str'](raw);
    } catch {
      fail(`argument ${name}: invalid ${option.type === 'str2bool_lenient' ? 'str2bool' : option.type} value: '${raw}'`);
    }
    if (option.choices && !option.choices.includes(value)) {
      fail(`argument ${name}: invalid choice: '${raw}' (choose from ${option.choices.map((c) => `'${c}'`).join(', ')})`);
    }
    if (option.validate) {
      const problem = option.validate(value);
      if (problem) fail(`argument ${name}: ${problem}`);
    }
    values[dest(option)] = value;
  }
  if (spec.positional.nargs === '+' && positional.length === 0) fail(`the following arguments are required: ${spec.positional.name}`);
  if (unknown.length > 0) fail(`unrecognized arguments: ${unknown.join(' ')}`);
  values[spec.positional.name] = positional;
  return values;
}

function dest(option) {
  const long = option.flags.find((f) => f.startsWith('--')) ?? option.flags[0];
  return long.replace(/^-+/, '');
}
