// DMP segments (matched audiences): create, read, and batch ADD/REMOVE of hashed emails.
// Treatment: an ADD whose SHA256_EMAIL matches a known market contact → onTreatment channel 'linkedin'.
import { Hono } from 'hono';
import { z } from 'zod';
import { readJson, SHA256_HEX } from './body.js';
import { errors } from './errors.js';
import { ACCOUNT_URN } from './ids.js';
import { page } from './paging.js';
import type { LinkedInSegment, LinkedInState } from './state.js';

const createSchema = z.object({
  name: z.string().min(1),
  account: z.string().regex(/^urn:li:sponsoredAccount:\d+$/),
  type: z.enum(['USER', 'COMPANY']),
  sourcePlatform: z.string().min(1),
  destinations: z.array(z.object({ destination: z.string() })).optional(),
});

const MAX_BATCH = 5000;
const usersSchema = z.object({
  elements: z
    .array(
      z.object({
        action: z.string(),
        userIds: z.array(z.object({ idType: z.string(), idValue: z.string() })),
      }).passthrough(),
    )
    .min(1)
    .max(MAX_BATCH),
});

function renderSegment(s: LinkedInSegment) {
  return {
    id: s.id,
    name: s.name,
    account: s.account,
    type: s.type,
    sourcePlatform: s.sourcePlatform,
    status: 'READY',
    destinations: [{ destination: 'LINKEDIN', status: 'READY', audienceSize: s.members.size, matchedCount: s.members.size }],
    created: s.createdAt,
    lastModified: s.lastModifiedAt,
  };
}

type ElementStatus = { status: number; error?: { status: number; message: string } };

export function segmentRoutes(state: LinkedInState): Hono {
  const app = new Hono();
  app.post('/dmpSegments', async (c) => {
    const body = await readJson(c, createSchema);
    if (!body.ok) return body.response;
    if (body.value.account !== `${ACCOUNT_URN}${state.adAccount.id}`) return errors.badRequest(`Unknown account ${body.value.account}`);
    const segment = state.createSegment(body.value);
    return new Response(null, { status: 201, headers: { 'x-restli-id': String(segment.id), 'x-linkedin-id': String(segment.id) } });
  });
  // the account finder (the real API's only one): `q=account&account=<urn>[&sourcePlatform=…]`,
  // offset paging (start/count); LinkedIn has no finder by name
  app.get('/dmpSegments', (c) => {
    if (c.req.query('q') !== 'account') return errors.invalidParam('q');
    const account = c.req.query('account');
    if (!account || !/^urn:li:sponsoredAccount:\d+$/.test(account)) return errors.invalidParam('account');
    const platform = c.req.query('sourcePlatform');
    const items = [...state.segments.values()]
      .filter((s) => s.account === account && (!platform || s.sourcePlatform === platform))
      .sort((a, b) => a.id - b.id);
    const result = page(items, c.req.query(), renderSegment);
    return result.ok ? c.json(result.body) : errors.invalidParam(result.param);
  });
  app.get('/dmpSegments/:id', (c) => {
    const segment = state.segments.get(Number(c.req.param('id')));
    return segment ? c.json(renderSegment(segment)) : errors.notFound(`dmpSegments/${c.req.param('id')}`);
  });
  app.post('/dmpSegments/:id/users', async (c) => {
    const segment = state.segments.get(Number(c.req.param('id')));
    if (!segment) return errors.notFound(`dmpSegments/${c.req.param('id')}`);
    if (c.req.header('x-restli-method')?.toUpperCase() !== 'BATCH_CREATE')
      return errors.badRequest('X-RestLi-Method: BATCH_CREATE is required for dmpSegments users');
    const body = await readJson(c, usersSchema);
    if (!body.ok) return body.response;
    const elements: ElementStatus[] = body.value.elements.map((el) => {
      const reject = (message: string): ElementStatus => ({ status: 400, error: { status: 400, message } });
      if (el.action !== 'ADD' && el.action !== 'REMOVE') return reject(`Invalid action ${el.action}`);
      if (el.userIds.length === 0) return reject('userIds must not be empty');
      for (const id of el.userIds) {
        if (id.idType !== 'SHA256_EMAIL') return reject(`Unsupported idType ${id.idType}`);
        if (!SHA256_HEX.test(id.idValue)) return reject('SHA256_EMAIL idValue must be a 64 character hex SHA-256 hash');
      }
      for (const id of el.userIds) {
        const hash = id.idValue.toLowerCase();
        if (el.action === 'ADD') state.addMember(segment, hash);
        else state.removeMember(segment, hash);
      }
      return { status: 201 };
    });
    return c.json({ elements });
  });
  return app;
}
