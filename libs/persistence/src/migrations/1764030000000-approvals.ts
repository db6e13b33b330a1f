import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The approval green channel (shared/design/approvals.md): the catalogue of
 * approval items, each project's approval plan (one row per item, the read
 * model of its workflow), the green channel grants, and the approvals ladder
 * (department → department head → county leader in charge → county committee)
 * that the escalation engine climbs when an item passes its limit.
 *
 * Where each seeded limit comes from is in README.md ("Approval items").
 */
export class Approvals1764030000000 implements MigrationInterface {
  name = 'Approvals1764030000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      -- The county leader in charge of a department (分管县领导): the third rung of the approvals ladder.
      ALTER TABLE org_unit ADD COLUMN leader_in_charge_id uuid REFERENCES person(id) ON DELETE SET NULL;

      CREATE TABLE approval_catalogue_item (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code text NOT NULL UNIQUE,
        name text NOT NULL,
        department_name text NOT NULL,
        department_id uuid REFERENCES org_unit(id) ON DELETE SET NULL,
        stage text NOT NULL CHECK (stage IN ('planning','approval','land','start')),
        statutory_days int NOT NULL CHECK (statutory_days > 0),
        promised_days int NOT NULL CHECK (promised_days > 0),
        green_factor numeric(3,2) NOT NULL DEFAULT 0.5 CHECK (green_factor > 0 AND green_factor <= 1),
        warning_days int NOT NULL DEFAULT 2 CHECK (warning_days >= 0),
        required_documents jsonb NOT NULL DEFAULT '[]',
        parallel boolean NOT NULL DEFAULT true,
        accept_with_deficiencies boolean NOT NULL DEFAULT false,
        suspend_on_missed_commitment boolean NOT NULL DEFAULT true,
        commitment_based boolean NOT NULL DEFAULT false,
        verification_days int NOT NULL DEFAULT 20 CHECK (verification_days > 0),
        deemed_accept_days int NOT NULL DEFAULT 5 CHECK (deemed_accept_days > 0),
        categories text[] NOT NULL DEFAULT '{}',
        source text NOT NULL DEFAULT '',
        active boolean NOT NULL DEFAULT true,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (promised_days <= statutory_days)
      );

      CREATE TABLE green_channel (
        project_id uuid PRIMARY KEY REFERENCES project(id) ON DELETE CASCADE,
        granted_by uuid NOT NULL REFERENCES person(id),
        granted_by_name text NOT NULL,
        reason text NOT NULL,
        granted_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE approval_item (
        id uuid PRIMARY KEY,
        project_id uuid NOT NULL REFERENCES project(id) ON DELETE CASCADE,
        catalogue_item_id uuid NOT NULL REFERENCES approval_catalogue_item(id) ON DELETE RESTRICT,
        name text NOT NULL,
        stage text NOT NULL,
        department_id uuid NOT NULL REFERENCES org_unit(id) ON DELETE RESTRICT,
        required boolean NOT NULL DEFAULT true,
        status text NOT NULL DEFAULT 'planned'
          CHECK (status IN ('planned','submitted','supplement_requested','accepted','under_review','approved','rejected')),
        green boolean NOT NULL DEFAULT false,
        limit_days int,
        submitted_at timestamptz,
        accepted_at timestamptz,
        due_at timestamptz,
        warn_at timestamptz,
        remaining_days int,
        paused_since timestamptz,
        paused_days int NOT NULL DEFAULT 0,
        elapsed_days int NOT NULL DEFAULT 0,
        decided_at timestamptz,
        decision_reason text,
        document_no text,
        deficiency jsonb,
        verification jsonb,
        escalation_blocker_id uuid,
        state jsonb,
        last_seq int NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (project_id, catalogue_item_id)
      );
      CREATE INDEX approval_item_department_idx ON approval_item(department_id, status);
      CREATE TABLE approval_item_event (
        item_id uuid NOT NULL REFERENCES approval_item(id) ON DELETE CASCADE,
        seq int NOT NULL,
        type text NOT NULL,
        at timestamptz NOT NULL,
        actor_id text,
        actor_name text NOT NULL,
        reason text,
        details jsonb NOT NULL DEFAULT '{}',
        PRIMARY KEY (item_id, seq)
      );

      -- The approvals ladder, and its policy: the department's rung lasts the item's own limit
      -- (the workflow sets it); above it, 2, 3 and 5 working days, then weekly reminders.
      INSERT INTO ladder (name, is_default, rungs) VALUES ('审批督办层级', false, '[
        {"key":"department","name":{"zh":"审批部门","en":"approval department"},"members":{"kind":"department_staff"}},
        {"key":"department_head","name":{"zh":"部门负责人","en":"department head"},"members":{"kind":"responsible_unit_head"}},
        {"key":"leader_in_charge","name":{"zh":"分管县领导","en":"county leader in charge"},"members":{"kind":"unit_leader_in_charge"}},
        {"key":"county","name":{"zh":"县委县政府","en":"county committee"},"members":{"kind":"county_committee"}}
      ]');
      INSERT INTO escalation_policy (name, category, severity, rungs, ladder_id, repeat_every, reopen_within, automatic)
      SELECT '审批超时督办', NULL, 'normal', '[
        {"rung":"department","responseTime":{"unit":"workingDays","amount":1}},
        {"rung":"department_head","responseTime":{"unit":"workingDays","amount":2},"warningBefore":{"unit":"workingDays","amount":1}},
        {"rung":"leader_in_charge","responseTime":{"unit":"workingDays","amount":3},"warningBefore":{"unit":"workingDays","amount":1}},
        {"rung":"county","responseTime":{"unit":"workingDays","amount":5},"warningBefore":{"unit":"workingDays","amount":1}}
      ]', id, 'P7D', 'P30D', false FROM ladder WHERE name = '审批督办层级';

      INSERT INTO approval_catalogue_item (code, name, department_name, stage, statutory_days, promised_days, required_documents, parallel, accept_with_deficiencies, commitment_based, deemed_accept_days, categories, source) VALUES
        ('project-approval', '项目审批（核准/备案）', '县发改局', 'approval', 20, 10, '["项目申请报告","项目单位营业执照","用地预审与选址意见书"]', true, true, false, 5, '{industry,infrastructure,social,urban,agriculture,other}', '企业投资项目核准和备案管理条例：20个工作日，经批准可延长10个工作日'),
        ('land-preexam-siting', '用地预审与选址意见书', '县自然资源局', 'approval', 21, 10, '["建设项目用地预审与选址申请表","项目建设依据","标注项目用地范围的土地利用现状图"]', true, true, false, 5, '{industry,infrastructure,social,urban,agriculture,other}', '地方公布时限：21个工作日（kmlq.gov.cn，2022）'),
        ('land-use-planning-permit', '建设用地规划许可证', '县自然资源局', 'approval', 13, 7, '["建设用地规划许可申请表","国有土地使用权出让合同","宗地红线图"]', true, true, false, 5, '{industry,infrastructure,social,urban,other}', '地方公布时限：13个工作日（kmlq.gov.cn，2022）'),
        ('engineering-planning-permit', '建设工程规划许可证', '县自然资源局', 'approval', 13, 7, '["建设工程规划许可申请表","设计方案总平面图","建设工程设计方案"]', true, true, false, 5, '{industry,infrastructure,social,urban,other}', '地方公布时限：13个工作日（kmlq.gov.cn，2022）'),
        ('environmental-impact', '环境影响评价审批（报告表）', '县生态环境局', 'approval', 30, 15, '["环境影响报告表","建设项目环评审批申请表"]', true, false, false, 5, '{industry,infrastructure,agriculture}', '环境影响评价法：报告表30日（报告书60日；登记表为备案）；行政许可法第82条：期限以工作日计算'),
        ('energy-review', '固定资产投资项目节能审查', '县发改局', 'approval', 20, 10, '["节能报告","节能审查申请"]', true, true, true, 5, '{industry,infrastructure}', '行政许可法第42条：一般行政许可20日，经负责人批准可延长10日'),
        ('construction-permit', '建筑工程施工许可证', '县住建局', 'start', 7, 3, '["施工许可申请表","建设工程规划许可证","施工合同","监理合同"]', true, true, false, 5, '{industry,infrastructure,social,urban,other}', '建筑工程施工许可管理办法：7日内发证，材料不全的5日内一次告知');
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DELETE FROM escalation_policy WHERE name = '审批超时督办' AND NOT EXISTS (SELECT 1 FROM blocker WHERE policy_id = escalation_policy.id);
      DELETE FROM ladder WHERE name = '审批督办层级' AND NOT EXISTS (SELECT 1 FROM escalation_policy WHERE ladder_id = ladder.id);
      DROP TABLE approval_item_event; DROP TABLE approval_item; DROP TABLE green_channel; DROP TABLE approval_catalogue_item;
      ALTER TABLE org_unit DROP COLUMN leader_in_charge_id;
    `);
  }
}
