import { join } from 'node:path';
import { ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { stopChild } from './temporal-server';

export interface NodeChild {
  name: string;
  child: ChildProcess;
  exited: Promise<void>;
  stop(): Promise<void>;
}

/**
 * Runs a compiled entry point in its own Node process, its output prefixed with its name: on the
 * terminal by default, or to `sink` (tests send it to a file, so that a worker's retries under load
 * do not bury the test runner's own report).
 */
export function spawnNode(name: string, script: string, env: NodeJS.ProcessEnv, sink: (line: string) => void = console.log): NodeChild {
  // DUBAN_CPU_PROFILE_DIR=<dir>: each process writes a V8 CPU profile there when it exits (the bench's profile of where the time goes).
  const profile = env.DUBAN_CPU_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${join(env.DUBAN_CPU_PROFILE_DIR, name)}`] : [];
  const child = spawn(process.execPath, ['--enable-source-maps', ...profile, script], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  for (const stream of [child.stdout!, child.stderr!]) {
    createInterface({ input: stream }).on('line', (line) => sink(`[${name}] ${line}`));
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { name, child, exited, stop: () => stopChild(child, exited) };
}
