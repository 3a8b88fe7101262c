// `revloop costs --help`: commander answers --help with the closest command it knows (the main
// help, exit 0) before it notices that "costs" is no command. Looked at before parsing, an unknown
// command name is a usage error (exit 2) whatever options follow it.
import type { Command } from 'commander';

/** global options that take a value: the word after them is not a command name */
const valueOptions = new Set(['-c', '--config', '--store']);

function nameOf(cmd: Command): string[] {
  return [cmd.name(), ...cmd.aliases()];
}

/**
 * The usage error for `args` (argv without node and the script) when they name a command, or a
 * subcommand, that does not exist: `error: unknown command 'costs'` and what to run instead.
 * Undefined when every command word is known (commander handles the rest).
 */
export async function unknownCommandError(program: Command, args: readonly string[]): Promise<string | undefined> {
  let current = program;
  let path = program.name();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') return undefined;
    if (arg.startsWith('-')) {
      if (valueOptions.has(arg)) i++;
      continue;
    }
    if (!current.commands.length) return undefined; // an argument of a leaf command
    // `revloop help costs`: the implicit help command, about the word after it
    if (arg === 'help' && current === program) continue;
    const sub = current.commands.find((c) => nameOf(c).includes(arg));
    if (!sub) {
      const names = current.commands.map((c) => c.name());
      const { closestKey } = await import('@revloop/core'); // loaded only for an unknown command
      const close = closestKey(arg, names);
      return `error: unknown command '${arg}'${current === program ? '' : ` for '${path}'`}${close ? ` (did you mean '${close}'?)` : ''}\n` +
        `the commands${current === program ? '' : ` of '${path}'`}: ${names.join(', ')}; run \`${path} --help\` for what each does`;
    }
    current = sub;
    path = `${path} ${sub.name()}`;
  }
  return undefined;
}
