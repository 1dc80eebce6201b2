/**
 * Runs the real kubectl binaries installed on these machines (Debian package `kubectl` ships
 * kubectl.1.27 … kubectl.1.33 beside its dispatcher).
 */
import { expect } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';

const kubectlDir = '/usr/lib/google-cloud-sdk/bin';

/** Every installed minor, e.g. `['1.27', …, '1.33']`. */
export const ALL_KUBECTL_MINORS = ['1.27', '1.28', '1.29', '1.30', '1.31', '1.32', '1.33'] as const;

/**
 * The two ends of the supported range, for the suites of single kinds (DaemonSet, storage, RBAC
 * …): what kubectl does with a kind changes at the ends first, and every minor between is held
 * to the same API by e2e/kubectl-api.test.ts. Keeps the suite's time from growing with 7× each kind.
 */
export const KUBECTL_RANGE_ENDS = [ALL_KUBECTL_MINORS[0], ALL_KUBECTL_MINORS[ALL_KUBECTL_MINORS.length - 1]] as const;

export function kubectlPath(minor: string): string {
  return `${kubectlDir}/kubectl.${minor}`;
}

/**
 * The minors of `wanted` that are installed here. `K8TS_KUBECTL_MINORS=1.33,1.27` narrows the
 * set for a quicker local run.
 */
export function installedKubectls(wanted: readonly string[]): string[] {
  const only = process.env.K8TS_KUBECTL_MINORS?.split(',').map((m) => m.trim());
  return wanted.filter((m) => existsSync(kubectlPath(m)) && (!only || only.includes(m)));
}

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface KubectlOptions {
  kubeconfig: string;
  /** HOME for kubectl (its discovery/http caches live under it): isolate per test. */
  home: string;
  stdin?: string;
  env?: Record<string, string>;
  timeoutMs?: number;
  /** Run kubectl inside this network namespace (`/var/run/netns/<name>`), e.g. a test's `k8ts up`. */
  netns?: string;
}

/** Runs `kubectl.<minor> args…`; never throws on a non-zero exit (check `code`). */
export function kubectl(minor: string, args: string[], options: KubectlOptions): Promise<KubectlResult> {
  return new Promise((resolve, reject) => {
    const [file, argv] = options.netns ? ['nsenter', [`--net=/var/run/netns/${options.netns}`, kubectlPath(minor), ...args]] : [kubectlPath(minor), args];
    const child = execFile(
      file,
      argv,
      {
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: options.home, KUBECONFIG: options.kubeconfig, ...options.env },
        timeout: options.timeoutMs ?? 60_000,
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        if (error && typeof (error as NodeJS.ErrnoException).code === 'string') {
          reject(error);
          return;
        }
        const code = error ? ((error as { code?: number }).code ?? 1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
    if (options.stdin !== undefined) child.stdin?.end(options.stdin);
    else child.stdin?.end();
  });
}

/**
 * `run` and `ok` for one kubectl minor against a control plane; `target()` is read at each call
 * (the kubeconfig and HOME are usually set up in a `beforeAll`). `ok` asserts exit code 0 and
 * returns stdout.
 */
export function kubectlRunner(minor: string, target: () => Pick<KubectlOptions, 'kubeconfig' | 'home' | 'netns'>) {
  const run = (args: string[], extra: Omit<KubectlOptions, 'kubeconfig' | 'home' | 'netns'> = {}): Promise<KubectlResult> => kubectl(minor, args, { ...target(), ...extra });
  const ok = async (args: string[], extra: Omit<KubectlOptions, 'kubeconfig' | 'home' | 'netns'> = {}): Promise<string> => {
    const res = await run(args, extra);
    expect(res.code, `kubectl ${args.join(' ')}: ${res.stderr}`).toBe(0);
    return res.stdout;
  };
  return { run, ok };
}

/**
 * kubectl as the API server's kubectl suites drive it: `run(...args)` gives the result, and
 * `ok(...args)` expects exit 0 and an empty stderr (so a `Warning:` fails it) and gives stdout.
 * `trailingArgs` (e.g. `['-n', ns]`) are appended to every command.
 */
export function strictKubectlRunner(minor: string, target: () => Pick<KubectlOptions, 'kubeconfig' | 'home'>, trailingArgs: readonly string[] = []) {
  const run = (...args: string[]): Promise<KubectlResult> => kubectl(minor, [...args, ...trailingArgs], target());
  const ok = async (...args: string[]): Promise<string> => {
    const res = await run(...args);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    return res.stdout;
  };
  return { run, ok };
}

/** A `kubectl get` table: its header cells and the row whose first cell is `name`. */
export interface KubectlTable {
  header: string[];
  row(name: string): string[] | undefined;
}

/** Cuts `kubectl get` output into cells at the header's column offsets (empty cells stay empty). */
export function kubectlTable(out: string): KubectlTable {
  const [head = '', ...lines] = out.split('\n');
  const starts = [...head.matchAll(/\S+(?: \S+)*/g)].map((m) => m.index);
  const cut = (line: string) => starts.map((s, i) => line.slice(s, starts[i + 1] ?? line.length).trim());
  return { header: cut(head), row: (name) => lines.map(cut).find((cells) => cells[0] === name) };
}
