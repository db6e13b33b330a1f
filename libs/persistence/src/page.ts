/** One page of a list, as every list endpoint returns it. */
export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface PageQuery {
  page: number;
  pageSize: number;
}

export function pageOf<T>([items, total]: [T[], number], q: PageQuery): Page<T> {
  return { items, total, page: q.page, pageSize: q.pageSize };
}
