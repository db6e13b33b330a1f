/**
 * The one table of the ledger's column names (台账表头): every field Duban
 * reads from a county's own ledger, with the names counties give it. Kept in
 * one place so that a new variant met in the field is one line here, and the
 * recogniser (header-reader.ts), the exporter and the console agree on names.
 */
import { STAGES, type Stage } from '../../domain/src/lifecycle';

export const LEDGER_FIELDS = [
  'serial',
  'code',
  'name',
  'category',
  'unit',
  'owner',
  'township',
  'total',
  'leaders',
  'plan',
  ...STAGES,
  'completed',
  'progressLine',
  'problems',
  'nextSteps',
] as const;
export type LedgerField = (typeof LEDGER_FIELDS)[number];

export interface FieldSpec {
  /** The name Duban's own export writes (and problems are reported under). */
  zh: string;
  en: string;
  /** Names meaning this field exactly, after normalise(): confidence 1. */
  names: string[];
  /** Names with a variable part (a year) that mean this field exactly: confidence 1. */
  exact?: RegExp[];
  /** Looser names: confidence 0.6, for the office to confirm. */
  patterns: RegExp[];
  /** An amount in 万元 whose header may say 亿元 or 元 instead. */
  amount?: boolean;
  date?: boolean;
}

export const FIELDS: Record<LedgerField, FieldSpec> = {
  serial: { zh: '序号', en: 'No.', names: ['序号', '编号'], patterns: [/^(序|no\.?)$/] },
  code: { zh: '项目代码', en: 'project code', names: ['项目代码', '项目编码', '项目统一代码', '统一项目代码', '代码'], patterns: [/代码|编码/] },
  name: { zh: '项目名称', en: 'project name', names: ['项目名称', '项目', '名称', '建设项目'], patterns: [/名称/] },
  category: { zh: '项目类别', en: 'category', names: ['项目类别', '类别', '项目类型', '类型'], patterns: [/类别|类型/] },
  unit: { zh: '责任单位', en: 'responsible unit', names: ['责任单位', '牵头单位', '责任部门', '牵头部门', '牵头责任单位'], patterns: [/责任单位|牵头/] },
  owner: { zh: '项目业主', en: 'project owner', names: ['项目业主', '业主单位', '业主', '项目法人', '建设单位'], patterns: [/业主|法人/] },
  township: { zh: '所在乡镇', en: 'township', names: ['所在乡镇', '所属乡镇', '乡镇', '属地', '所在地'], patterns: [/乡镇/] },
  total: { zh: '总投资', en: 'total investment', names: ['总投资', '计划总投资', '项目总投资'], patterns: [/总投资/], amount: true },
  leaders: { zh: '包联领导', en: 'liaison leaders', names: ['包联领导', '包联县领导', '县级包联领导', '联系领导', '包保领导', '联系县领导'], patterns: [/包联|包保|联系.*领导/] },
  plan: { zh: '年度计划投资', en: 'annual plan', names: ['年度计划投资', '本年计划投资', '计划投资'], exact: [/^\d{4}年度?计划投资$/], patterns: [/计划投资/], amount: true },
  planning: { zh: '前期完成时限', en: 'planning due', names: ['前期完成时限', '前期完成时间'], patterns: [/前期/], date: true },
  approval: { zh: '审批完成时限', en: 'approval due', names: ['审批完成时限', '审批完成时间'], patterns: [/审批/], date: true },
  land: { zh: '用地完成时限', en: 'land due', names: ['用地完成时限', '用地完成时间', '征迁完成时间'], patterns: [/用地|征地|征迁/], date: true },
  start: { zh: '计划开工日期', en: 'planned start', names: ['计划开工日期', '计划开工时间', '开工时间', '开工日期'], patterns: [/开工/], date: true },
  completion: {
    zh: '竣工投产时限',
    en: 'completion due',
    names: ['竣工投产时限', '计划竣工时间', '计划竣工日期', '竣工时间', '计划竣工投产时间'],
    patterns: [/竣工|投产/],
    date: true,
  },
  completed: {
    zh: '本年完成投资',
    en: 'completed this year',
    names: ['本年完成投资', '年度完成投资', '今年完成投资', '本年度完成投资'],
    patterns: [/^\d{1,2}-\d{1,2}月.*完成投资/, /^\d{4}年.*完成投资/, /本年.*完成/],
    amount: true,
  },
  progressLine: { zh: '形象进度', en: 'progress line', names: ['形象进度', '工程形象进度', '项目进展', '进展情况', '项目进展情况'], patterns: [/形象进度|进展/] },
  problems: { zh: '存在问题', en: 'existing problems', names: ['存在问题', '存在的问题', '问题', '困难问题', '存在困难和问题'], patterns: [/问题|困难/] },
  nextSteps: { zh: '下步计划', en: 'next steps', names: ['下步计划', '下一步计划', '下步打算', '下一步工作', '下步工作计划'], patterns: [/下一?步/] },
};

/** Stage fields, in the plan's order. */
export const STAGE_FIELDS: readonly Stage[] = STAGES;

/** Units an amount's header may name, as factors to 万元 (the stored unit). */
export const AMOUNT_UNITS: { re: RegExp; unit: string; factor: number }[] = [
  { re: /亿元/, unit: '亿元', factor: 10_000 },
  { re: /万元/, unit: '万元', factor: 1 },
  { re: /(^|[^万亿])元/, unit: '元', factor: 0.0001 },
];

/** A header as compared: no spaces or line breaks, half-width brackets, no asterisks (required-field marks), lower case. */
export const normalise = (s: string): string =>
  s
    .replace(/[\s\u3000]+/g, '')
    .replace(/（/g, '(')
    .replace(/）/g, ')')
    .replace(/\*/g, '')
    .toLowerCase();

/** A header without its unit, e.g. 总投资(亿元) → 总投资. */
export const withoutUnit = (s: string): string => s.replace(/\((亿元|万元|元)\)|(亿元|万元)$/g, '');
