/** The ledger check's problems, one line per bad cell, as the server named them (row, the county's own column, the cell). */
import { Alert, Table } from 'antd';
import { useT } from '../../desk/shim';

export interface CellProblem {
  row: number;
  column: string;
  cell?: string;
  problem: string;
}
export interface Check {
  rows: number;
  created: number;
  updated: number;
  milestonePlans: number;
  problems: CellProblem[];
}

export function ProblemsTable({ problems }: { problems: CellProblem[] }) {
  const { t } = useT();
  return (
    <>
      <Alert
        style={{ margin: '16px 0' }}
        type="error"
        showIcon
        title={t(
          `台账有${problems.length}处错误，未写入任何数据。请修改后重新上传。`,
          `The ledger has ${problems.length} problem(s); nothing has been written. Correct them and upload again.`,
        )}
      />
      <Table<CellProblem>
        aria-label={t('台账错误', 'Ledger problems')}
        rowKey={(p) => `${p.row}:${p.column}:${p.problem}`}
        size="small"
        dataSource={problems}
        pagination={{ pageSize: 50 }}
        columns={[
          { title: t('行', 'Row'), dataIndex: 'row', width: 80 },
          { title: t('列', 'Column'), dataIndex: 'column', width: 200 },
          { title: t('单元格', 'Cell'), dataIndex: 'cell', width: 90 },
          { title: t('问题', 'Problem'), dataIndex: 'problem' },
        ]}
      />
    </>
  );
}
