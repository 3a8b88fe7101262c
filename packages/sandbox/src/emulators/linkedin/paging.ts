// LinkedIn's two paging styles: offset (`start`/`count`, answered with `paging`) and, on the
// newer finders, cursor (`pageSize`/`pageToken`, answered with `metadata.nextPageToken`).
import { z } from 'zod';

const offsetSchema = z.object({
  start: z.coerce.number().int().min(0).default(0),
  count: z.coerce.number().int().min(1).max(1000).default(10),
});
const cursorSchema = z.object({
  pageSize: z.coerce.number().int().min(1).max(1000).default(100),
  pageToken: z.string().optional(),
});

export type PageResult<T> = { ok: true; body: Record<string, unknown> } | { ok: false; param: string };

export function page<T>(items: T[], query: Record<string, string>, render: (item: T) => unknown): PageResult<T> {
  if ('pageSize' in query || 'pageToken' in query) {
    const parsed = cursorSchema.safeParse(query);
    if (!parsed.success) return { ok: false, param: String(parsed.error.issues[0].path[0]) };
    let offset = 0;
    if (parsed.data.pageToken) {
      const decoded = Number(Buffer.from(parsed.data.pageToken, 'base64url').toString('utf8').replace(/^o:/, ''));
      if (!Number.isInteger(decoded) || decoded < 0) return { ok: false, param: 'pageToken' };
      offset = decoded;
    }
    const end = offset + parsed.data.pageSize;
    const metadata = end < items.length ? { nextPageToken: Buffer.from(`o:${end}`).toString('base64url') } : {};
    return { ok: true, body: { elements: items.slice(offset, end).map(render), metadata } };
  }
  const parsed = offsetSchema.safeParse(query);
  if (!parsed.success) return { ok: false, param: String(parsed.error.issues[0].path[0]) };
  const { start, count } = parsed.data;
  return {
    ok: true,
    body: { paging: { start, count, links: [], total: items.length }, elements: items.slice(start, start + count).map(render) },
  };
}
