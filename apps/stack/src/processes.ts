import { ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { stopChild } from './temporal-server';

export interface NodeChild {
  name: string;
  child: ChildProcess;
  exited: Promise<void>;
  stop(): Promise<void>;
}

/** Runs a compiled entry point in its own Node process, its output prefixed with its name. */
export function spawnNode(name: string, script: string, env: NodeJS.ProcessEnv): NodeChild {
  const child = spawn(process.execPath, ['--enable-source-maps', script], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  for (const stream of [child.stdout!, child.stderr!]) {
    createInterface({ input: stream }).on('line', (line) => console.log(`[${name}] ${line}`));
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { name, child, exited, stop: () => stopChild(child, exited) };
}
