import type { DataSource, EntityManager } from 'typeorm';

/**
 * Takes the next number of an official series (督办, 超时默认) for `owner`,
 * once: in one transaction it increments the year's counter and registers the
 * number against its owner, so a number is never taken without being recorded.
 * Asked again for the same owner (an activity retried after its completion
 * was lost) it returns the number already issued and takes none: no gap in the
 * series. The per-owner advisory lock makes a concurrent second attempt wait
 * and then find the first one's number.
 */
export async function issueDocumentNo(ds: DataSource, o: { series: string; year: number; owner: string }): Promise<string> {
  return ds.transaction(async (em: EntityManager) => {
    await em.query(`SELECT pg_advisory_xact_lock(hashtext('document-no:' || $1))`, [o.owner]);
    const [found]: { document_no: string }[] = await em.query(`SELECT document_no FROM issued_document_no WHERE owner_key = $1`, [o.owner]);
    if (found) return found.document_no;
    const [{ last }]: { last: number }[] = await em.query(
      `INSERT INTO document_counter (series, year, last) VALUES ($1, $2, 1) ON CONFLICT (series, year) DO UPDATE SET last = document_counter.last + 1 RETURNING last`,
      [o.series, o.year],
    );
    const documentNo = `${o.series}〔${o.year}〕${last}号`;
    await em.query(`INSERT INTO issued_document_no (owner_key, series, year, number, document_no) VALUES ($1,$2,$3,$4,$5)`, [o.owner, o.series, o.year, last, documentNo]);
    return documentNo;
  });
}
