/**
 * Shared edges of every component's `main`: flag parsing into a zod schema with usage errors,
 * and an AbortSignal for SIGINT/SIGTERM.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Logger } from 'pino';
import type { z } from 'zod';

/** Bad flags: print the message and the usage text, exit code 2. */
export class UsageError extends Error {}

/**
 * Parses `argv` with node:util (strict, no positionals), maps the raw values with `toInput` and
 * validates them with `schema`. Returns `'help'` for `-h/--help`; throws {@link UsageError}
 * listing every problem.
 */
export function parseFlags<S extends z.ZodType>(
  argv: string[],
  options: NonNullable<ParseArgsConfig['options']>,
  schema: S,
  toInput: (values: Record<string, string | boolean | undefined>) => unknown,
): z.infer<S> | 'help' {
  let values: Record<string, string | boolean | undefined>;
  const { args, explicit } = normalizeBooleans(argv, options);
  try {
    values = parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: false }).values as Record<string, string | boolean | undefined>;
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  Object.assign(values, explicit);
  if (values.help) return 'help';
  let input: unknown;
  try {
    input = toInput(values);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const result = schema.safeParse(input);
  if (!result.success) throw new UsageError(result.error.issues.map((i) => `${i.path.join('.') || 'flags'}: ${i.message}`).join('\n'));
  return result.data;
}

/** Go's flag package accepts `--flag=true|false` for booleans; node:util does not. */
function normalizeBooleans(argv: string[], options: NonNullable<ParseArgsConfig['options']>): { args: string[]; explicit: Record<string, boolean> } {
  const explicit: Record<string, boolean> = {};
  const args: string[] = [];
  for (const arg of argv) {
    const m = /^--([^=]+)=(true|false)$/.exec(arg);
    if (m && options[m[1]]?.type === 'boolean') explicit[m[1]] = m[2] === 'true';
    else args.push(arg);
  }
  return { args, explicit };
}

/**
 * Runs a component's flag parsing: prints usage for `--help`, prints the problem and usage with
 * exit code 2 for a {@link UsageError}; returns the config otherwise (undefined when done).
 */
export function parseOrExit<T>(component: string, usage: string, parse: () => T | 'help'): T | undefined {
  try {
    const config = parse();
    if (config === 'help') {
      process.stdout.write(usage);
      return undefined;
    }
    return config;
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`k8ts ${component}: ${err.message}\n\n${usage}`);
    process.exitCode = 2;
    return undefined;
  }
}

/** An AbortSignal aborted by the first SIGINT or SIGTERM (logged). */
export function shutdownSignal(log: Logger): AbortSignal {
  const controller = new AbortController();
  const stop = (signal: NodeJS.Signals) => {
    log.info({ signal }, 'shutting down');
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    controller.abort(new Error(`received ${signal}`));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  return controller.signal;
}
