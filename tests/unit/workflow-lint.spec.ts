/**
 * The lint rules that keep workflows/ deterministic, run with the project's
 * real eslint.config.mjs on code given as if it were a workflow file (the text
 * is linted in place of the file's own; nothing is written).
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../libs/temporal/src/binaries';

interface LintMessage {
  ruleId: string | null;
  message: string;
  line: number;
}

/**
 * Lints each text as if it were the named file, with ESLint's Node API in one process of its own: the flat
 * config is an ES module, which Jest's VM cannot import, and one process loads the TypeScript project once.
 */
const RUNNER = `
  import { ESLint } from 'eslint';
  let input = '';
  for await (const chunk of process.stdin) input += chunk;
  const eslint = new ESLint();
  const out = [];
  for (const c of JSON.parse(input)) out.push((await eslint.lintText(c.code, { filePath: c.file }))[0].messages);
  process.stdout.write(JSON.stringify(out));
`;

function lintAll(cases: { code: string; file: string }[]): Promise<LintMessage[][]> {
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, ['--input-type=module', '-e', RUNNER], { cwd: PROJECT_ROOT, maxBuffer: 10 * 1024 * 1024 }, (err, stdout, stderr) => {
      try {
        resolve(JSON.parse(stdout) as LintMessage[][]);
      } catch {
        reject(new Error(`eslint failed: ${err?.message ?? ''} ${stderr}`));
      }
    });
    child.stdin!.end(JSON.stringify(cases.map((c) => ({ ...c, file: join(PROJECT_ROOT, c.file) }))));
  });
}

const rules = (messages: LintMessage[]) => [...new Set(messages.map((m) => m.ruleId))].sort();
const WORKFLOW = 'workflows/scheduled.workflow.ts';

jest.setTimeout(180_000);

const FLOATING_AND_IO = [
  "import { readFileSync } from 'fs';",
  "import { hostname } from 'node:os';",
  'export async function probe(): Promise<string> {',
  '  setTimeout(() => undefined, 10);',
  '  Promise.resolve(1);',
  "  return readFileSync(hostname(), 'utf8');",
  '}',
  '',
].join('\n');

const AMBIENT = [
  "import { Client } from '@temporalio/client';",
  "import { Injectable } from '@nestjs/common';",
  "import { DataSource } from 'typeorm';",
  "import { EscalationActivities } from '../libs/escalation/src/escalation.activities';",
  "import type { ApprovalActivities } from '../libs/approvals/src/approval.activities';",
  'export const used = [Client, Injectable, DataSource, EscalationActivities];',
  'export type T = ApprovalActivities;',
  'export const a = Date.now() + Math.random() + performance.now() + new Date().getTime() + Number(process.env.X);',
  'export const ok = new Date(0).toISOString();',
  '',
].join('\n');

const ELSEWHERE = "import { readFileSync } from 'fs';\nexport const f = () => setTimeout(() => readFileSync('x'), Date.now());\n";
const CLOCK = 'export const nowMs = (): number => Date.now();\nexport const at = () => new Date();\n';

let results: LintMessage[][];
beforeAll(async () => {
  results = await lintAll([
    { code: FLOATING_AND_IO, file: WORKFLOW },
    { code: AMBIENT, file: WORKFLOW },
    { code: ELSEWHERE, file: 'libs/escalation/src/notice-text.ts' },
    { code: CLOCK, file: 'workflows/support/clock.ts' },
  ]);
});

test('a workflow importing fs, calling setTimeout or leaving a promise floating fails', () => {
  const found = results[0];
  expect(rules(found)).toEqual(['@typescript-eslint/no-floating-promises', '@typescript-eslint/no-restricted-imports', 'no-restricted-globals']);
  expect(found.filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports')).toHaveLength(2);
});

test('ambient time, randomness, the process and server libraries are refused in a workflow', () => {
  const found = results[1];
  const at = (line: number) => found.filter((m) => m.line === line).map((m) => m.ruleId);
  expect(at(1)).toEqual(['@typescript-eslint/no-restricted-imports']);
  expect(at(2)).toEqual(['@typescript-eslint/no-restricted-imports']);
  expect(at(3)).toEqual(['@typescript-eslint/no-restricted-imports']);
  expect(at(4)).toEqual(['@typescript-eslint/no-restricted-imports']); // a value import of activities
  expect(at(5)).toEqual([]); // a type import is fine
  expect(at(8).sort()).toEqual(['no-restricted-globals', 'no-restricted-globals', 'no-restricted-properties', 'no-restricted-properties', 'no-restricted-syntax']);
  expect(at(9)).toEqual([]); // formatting a given instant is not reading the clock
});

test('the same code outside workflows/, and the clock in workflows/support/clock.ts, pass', () => {
  expect(results[2]).toEqual([]);
  expect(results[3]).toEqual([]);
});
