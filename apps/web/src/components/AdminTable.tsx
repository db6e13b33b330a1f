/**
 * The administration pages' common shape, kept once: a titled table with its
 * toolbar (filters, the create button), the list's error, and a form dialog
 * opened from the toolbar or a row; a refusal shows in the API's words on the
 * form (FormDialog), and success closes it and reloads the list.
 */
import { Button, Space, Table, Typography } from 'antd';
import type { ColumnsType, TablePaginationConfig } from 'antd/es/table';
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { ErrorView } from '../desk/ErrorView';
import { FormDialog, type FieldSpec } from '../desk/FormDialog';
import { get } from '../desk/http';

/** What a list source gives the table: usePaged's answer, or useList's for an unpaged list. */
export interface ListSource<T> {
  items: T[];
  loading: boolean;
  error: unknown;
  reload: () => Promise<unknown>;
  pagination?: TablePaginationConfig | false;
}

/** A form the table opens: FormDialog's props, and what to do with the answer besides closing and reloading. */
export interface AdminForm {
  title: string;
  fields: FieldSpec[];
  initial?: Record<string, unknown>;
  submit: (values: Record<string, unknown>) => Promise<unknown>;
  after?: (answer: never) => void;
}

/** An unpaged list (ladders, schedules) with its reload and error, like usePaged. */
export function useList<T>(path: string): ListSource<T> {
  const [items, setItems] = useState<T[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const reload = useCallback(
    () =>
      get<T[]>(path).then(
        (r) => {
          setItems(r);
          setError(null);
        },
        (e: unknown) => setError(e),
      ),
    [path],
  );
  useEffect(() => {
    void reload();
  }, [reload]);
  return { items: items ?? [], loading: items === null && !error, error, reload, pagination: false };
}

export function AdminTable<T extends object, D = never>({
  title,
  level = 3,
  list,
  columns,
  toolbar,
  create,
  banner,
  form,
  rowKey = 'id' as keyof T & string,
}: {
  title: string;
  level?: 3 | 5;
  list: ListSource<T>;
  /** The columns; `open` opens the form for a row's action. */
  columns: (open: (d: D) => void) => ColumnsType<T>;
  /** Filters and the like, beside the title. */
  toolbar?: ReactNode;
  /** The create button: its label and the dialog it opens. */
  create?: { label: string; dialog: D };
  /** Shown above the table (e.g. a password or key shown once). */
  banner?: ReactNode;
  form?: (d: D) => AdminForm;
  rowKey?: keyof T & string;
}) {
  const [dialog, setDialog] = useState<{ d: D } | null>(null);
  const open = (d: D) => setDialog({ d });
  const spec = dialog && form ? form(dialog.d) : null;
  return (
    <div style={{ marginBottom: 16 }}>
      <Space style={{ marginBottom: 12 }} wrap>
        <Typography.Title level={level} style={{ margin: 0 }}>
          {title}
        </Typography.Title>
        {toolbar}
        {create && (
          <Button type="primary" onClick={() => open(create.dialog)}>
            {create.label}
          </Button>
        )}
      </Space>
      {banner}
      <ErrorView error={list.error} />
      <Table<T> rowKey={rowKey} size="small" loading={list.loading} dataSource={list.items} pagination={list.pagination ?? false} columns={columns(open)} />
      {spec && (
        <FormDialog
          title={spec.title}
          fields={spec.fields}
          initial={spec.initial}
          submit={spec.submit}
          onDone={(r) => {
            setDialog(null);
            spec.after?.(r as never);
            void list.reload();
          }}
          onCancel={() => setDialog(null)}
        />
      )}
    </div>
  );
}
