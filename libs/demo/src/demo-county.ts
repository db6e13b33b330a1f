/**
 * The demo county (示范县), drawn from the numbers in the seed speeches: 109
 * county key projects, 29 of them linked to county-level leaders, of which 10
 * are slowed by relocation (征迁) and 8 by funding (资金).
 */
export const COUNTY_COMMITTEE = '县委县政府';
export const PROJECT_OFFICE = '县重点项目办';
export const SUPERVISION_OFFICE = '县委督查室';

/**
 * County-level leaders: each links (包联) key projects; the first two, the
 * county's main leaders, also sit on the county committee rung.
 */
export const LEADERS: { name: string; title: string; county?: boolean }[] = [
  { name: '李书明', title: '县委书记', county: true },
  { name: '张县平', title: '县长', county: true },
  { name: '王常务', title: '常务副县长' },
  { name: '赵建设', title: '副县长（分管城建）' },
  { name: '钱工业', title: '副县长（分管工业）' },
  { name: '孙农林', title: '副县长（分管农业农村）' },
  { name: '周社会', title: '副县长（分管社会事业）' },
  { name: '吴组织', title: '县委组织部部长' },
  { name: '郑宣传', title: '县委宣传部部长' },
  { name: '冯政法', title: '县委政法委书记' },
];

export const DEPARTMENTS = ['县发改局', '县自然资源局', '县住建局', '县生态环境局', '县交通运输局', '县水利局', '县工信局', '县财政局', '县教育局', '县卫健委'];
export const TOWNSHIPS = ['城关镇', '东城街道', '南关镇', '河口镇', '青石镇', '北山乡'];

const SURNAMES =
  '陈林黄刘杨何高罗梁宋谢唐韩曹许邓萧冯曾程蔡彭潘袁于董余苏叶吕魏蒋田杜丁沈姜范江傅钟卢汪戴崔任陆廖姚方金邱夏谭韦贾邹石熊孟秦阎薛侯雷白龙段郝孔邵史毛常万顾赖武康贺严尹钱施牛洪龚';
const GIVEN = ['伟', '芳', '娜', '敏', '静', '强', '磊', '军', '洋', '勇', '艳', '杰', '涛', '明', '超', '霞', '平', '刚', '桂英', '建华', '志强', '海燕', '晓东', '文博'];

/** A deterministic name, so the demo is the same on every machine. */
export function demoName(i: number): string {
  return SURNAMES[(i * 7) % SURNAMES.length] + GIVEN[(i * 5 + 3) % GIVEN.length];
}

const PROJECT_TEMPLATES: { category: string; names: string[] }[] = [
  {
    category: 'industry',
    names: ['新能源电池材料产业园', '绿色建材生产基地', '智能装备制造产业园', '农产品精深加工园', '纺织服装产业园', '电子信息产业园', '生物医药产业园', '冷链物流园'],
  },
  {
    category: 'infrastructure',
    names: ['城南污水处理厂扩建工程', '国道改线工程', '县城供水管网改造工程', '河道综合治理工程', '220千伏变电站工程', '城乡客运枢纽站', '天然气支线管道工程', '乡村道路提升工程'],
  },
  { category: 'social', names: ['县人民医院新院区', '第二实验小学', '职业教育中心实训楼', '养老服务中心', '全民健身中心', '县中医院门诊综合楼'] },
  { category: 'urban', names: ['老旧小区改造', '城市更新片区', '保障性住房', '滨河公园', '城市停车场'] },
  { category: 'agriculture', names: ['高标准农田建设', '现代农业产业园', '茶叶种植加工基地', '水产养殖示范区'] },
];

export interface DemoProject {
  code: string;
  name: string;
  category: string;
  department: number;
  township: number;
  owner: string;
  totalInvestment: number;
  /** Index into LEADERS, for the 29 projects linked to county-level leaders. */
  leader: number | null;
}

/** Phase numerals (二期, 三期…): the smallest template (4 names) repeats up to six times over 109 projects. */
const PHASES = ['', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

export function demoProjects(): DemoProject[] {
  const projects: DemoProject[] = [];
  for (let i = 0; i < 109; i++) {
    const t = PROJECT_TEMPLATES[i % PROJECT_TEMPLATES.length];
    const base = t.names[Math.floor(i / PROJECT_TEMPLATES.length) % t.names.length];
    const phase = Math.min(Math.floor(i / (PROJECT_TEMPLATES.length * t.names.length)), PHASES.length - 1);
    const serial = String(10000 + i * 37).padStart(5, '0');
    projects.push({
      code: `2026-341122-48-0${1 + (i % 3)}-${serial}${i % 10}`,
      name: phase ? `${base}（${PHASES[phase]}期）` : base,
      category: t.category,
      department: i % DEPARTMENTS.length,
      township: i % TOWNSHIPS.length,
      owner: t.category === 'industry' ? `示范${['新材', '智造', '科创', '食品'][i % 4]}有限公司` : '县城投集团有限公司',
      totalInvestment: 2000 + ((i * 7919) % 98) * 500,
      leader: i < 29 ? i % LEADERS.length : null,
    });
  }
  return projects;
}

/** The leader behind the printed `liaison` account (LEADERS index): the demo policy's matters are on their projects. */
export const LIAISON_ACCOUNT_LEADER = 3;

/**
 * Blockers on the 29 leader-linked projects, as the speech counts them: 10
 * relocation, 8 funding, and a few others. `demo` marks those on the minutes-long
 * demo policy, so a newcomer sees escalations happen: they are on projects of the
 * leader behind the printed `liaison` account (projects 3 and 13), so every rung they
 * climb to (the township's or unit's staff, that leader, the county) has a printed login.
 */
export function demoBlockers(): { project: number; category: string; title: string; demo: boolean }[] {
  const relocation = ['拆迁户未签订补偿协议', '坟墓迁移未完成', '企业厂房征收补偿争议', '施工便道占地协调'];
  const funding = ['专项债资金未到位', '配套资金缺口', '银行贷款审批滞后'];
  const out: { project: number; category: string; title: string; demo: boolean }[] = [];
  for (let i = 0; i < 10; i++) out.push({ project: i, category: 'relocation', title: relocation[i % relocation.length], demo: i % LEADERS.length === LIAISON_ACCOUNT_LEADER });
  for (let i = 0; i < 8; i++) out.push({ project: 10 + i, category: 'funding', title: funding[i % funding.length], demo: (10 + i) % LEADERS.length === LIAISON_ACCOUNT_LEADER });
  out.push({ project: 18, category: 'land_quota', title: '新增建设用地指标不足', demo: false });
  out.push({ project: 19, category: 'approval', title: '环评批复未取得', demo: false });
  out.push({ project: 20, category: 'utilities', title: '施工用电未接入', demo: false });
  return out;
}

/** The demo policy: minutes instead of days, so escalations happen while you watch. */
export const DEMO_POLICY = {
  name: '演示（分钟级）',
  severity: 'urgent',
  automatic: false,
  repeatEvery: 'PT5M',
  rungs: [
    { rung: 'unit', responseTime: 'PT2M', warningBefore: { fraction: 0.5 } },
    { rung: 'liaison', responseTime: 'PT2M', warningBefore: { fraction: 0.5 } },
    { rung: 'county', responseTime: 'PT3M', warningBefore: { fraction: 0.5 } },
  ],
};
