// The org's data: records per sObject, the market-id ↔ Salesforce-id map, custom fields, and the
// write paths shared by the REST endpoints. Implements MarketSink so the simulator can feed it.
import type { MarketEvent, MarketSink, SimTreatment } from '../../market/types.js';
import { truncateToSecond } from './datetime.js';
import { KEY_PREFIXES, makeId, marketNumber, normalizeId, sobjectOfId, SOBJECT_NAMES, type SObjectName } from './ids.js';
import { accountValues, contactValues, opportunityValues } from './market-feed.js';
import type { SfRecord } from './record.js';
import { createSchema, customField, type CustomFieldType, type ObjectDef, type Schema } from './schema.js';
import { validateWrite, type SaveError } from './write-validation.js';

export type SaveResult = { ok: true; record: SfRecord } | { ok: false; errors: SaveError[] };

export interface SalesforceStateOptions {
  now: () => number;
  onTreatment?: (t: SimTreatment) => void;
  /** the hour (0..23) of a timestamp for a treatment's sendHour; default its UTC hour (a market on a short day passes its own) */
  hourOf?: (at: number) => number;
}

const MARKET_TYPES = { account: 'Account', contact: 'Contact', opportunity: 'Opportunity' } as const;

export class SalesforceState implements MarketSink {
  readonly schema: Schema = createSchema();
  readonly now: () => number;
  private readonly onTreatment?: (t: SimTreatment) => void;
  private readonly hourOf: (at: number) => number;
  private readonly records = new Map<SObjectName, Map<string, SfRecord>>(SOBJECT_NAMES.map((n) => [n, new Map()]));
  private readonly byMarketId = new Map<string, string>();
  private readonly apiCounter = new Map<SObjectName, number>();

  constructor(options: SalesforceStateOptions) {
    this.now = options.now;
    this.onTreatment = options.onTreatment;
    this.hourOf = options.hourOf ?? ((at) => new Date(at).getUTCHours());
  }

  // ── lookups ────────────────────────────────────────────────────────────────────────────────
  object(type: SObjectName): ObjectDef {
    return this.schema.get(type)!;
  }

  /** All records of a type in Id order (deleted ones included; callers filter IsDeleted). */
  all(type: SObjectName): Iterable<SfRecord> {
    return this.records.get(type)!.values();
  }

  count(type: SObjectName, includeDeleted = false): number {
    let n = 0;
    for (const r of this.all(type)) if (includeDeleted || !r.values.IsDeleted) n++;
    return n;
  }

  /** Finds a record by a 15- or 18-char id, deleted or not. */
  get = (id: string): SfRecord | undefined => {
    const full = normalizeId(id);
    const type = full ? sobjectOfId(full) : undefined;
    return type ? this.records.get(type)!.get(full!) : undefined;
  };

  /** Salesforce id of a market entity (acc_…, con_…, opp_…), if the market has fed it. */
  idOf(marketId: string): string | undefined {
    return this.byMarketId.get(marketId);
  }

  /** Market id behind a Salesforce id (undefined for records created through the API). */
  marketIdOf(vendorId: string): string | undefined {
    return this.get(vendorId)?.marketId;
  }

  // ── custom fields ──────────────────────────────────────────────────────────────────────────
  addCustomField(type: SObjectName, spec: { name: string; type: CustomFieldType; label?: string; picklistValues?: string[] }): void {
    if (!/^[A-Za-z][A-Za-z0-9_]*__c$/.test(spec.name)) throw new Error(`custom field name must end in __c: ${spec.name}`);
    const fields = this.object(type).fields;
    if (fields.has(spec.name.toLowerCase())) throw new Error(`${type}.${spec.name} already exists`);
    fields.set(spec.name.toLowerCase(), customField(spec.name, spec.type, spec.label, spec.picklistValues));
    for (const r of this.all(type)) r.values[spec.name] = null;
  }

  /** Sets a field directly (bypassing validation) and touches the record's timestamps. */
  setField(id: string, field: string, value: unknown, at = this.now()): void {
    const r = this.get(id);
    const def = r && this.object(r.type).fields.get(field.toLowerCase());
    if (!r || !def) throw new Error(`no field ${field} on record ${id}`);
    r.values[def.name] = value;
    this.touch(r, at);
  }

  // ── API writes ─────────────────────────────────────────────────────────────────────────────
  /** Validates without writing (composite allOrNone checks every record before applying any). */
  checkCreate(type: SObjectName, body: Record<string, unknown>): SaveError[] {
    const v = validateWrite(this.object(type), body, 'create', this.get);
    if (!v.ok) return v.errors;
    return this.duplicateMember(type, v.values) ?? [];
  }

  create(type: SObjectName, body: Record<string, unknown>): SaveResult {
    const v = validateWrite(this.object(type), body, 'create', this.get);
    if (!v.ok) return v;
    const duplicate = this.duplicateMember(type, v.values);
    if (duplicate) return { ok: false, errors: duplicate };
    const n = (this.apiCounter.get(type) ?? 0) + 1;
    this.apiCounter.set(type, n);
    const record = this.insert(type, makeId(KEY_PREFIXES[type], '1', n), v.values, this.now());
    this.reportTreatment(record);
    return { ok: true, record };
  }

  checkUpdate(type: SObjectName, id: unknown, body: Record<string, unknown>): SaveError[] {
    const target = this.writable(type, id);
    if ('errors' in target) return target.errors;
    const v = validateWrite(this.object(type), body, 'update', this.get);
    return v.ok ? [] : v.errors;
  }

  update(type: SObjectName, id: unknown, body: Record<string, unknown>): SaveResult {
    const target = this.writable(type, id);
    if ('errors' in target) return { ok: false, errors: target.errors };
    const v = validateWrite(this.object(type), body, 'update', this.get);
    if (!v.ok) return v;
    Object.assign(target.record.values, v.values);
    this.derive(target.record);
    this.touch(target.record, this.now());
    return { ok: true, record: target.record };
  }

  checkDelete(type: SObjectName | undefined, id: unknown): SaveError[] {
    const target = this.writable(type, id);
    return 'errors' in target ? target.errors : [];
  }

  delete(type: SObjectName | undefined, id: unknown): SaveResult {
    const target = this.writable(type, id);
    if ('errors' in target) return { ok: false, errors: target.errors };
    this.markDeleted(target.record, this.now());
    return { ok: true, record: target.record };
  }

  /** The live record an update/delete may touch, or Salesforce's error for the id. */
  private writable(type: SObjectName | undefined, id: unknown): { record: SfRecord } | { errors: SaveError[] } {
    if (typeof id !== 'string' || id === '') return { errors: [{ statusCode: 'MISSING_ARGUMENT', message: 'Id not specified in an update call', fields: [] }] };
    const full = normalizeId(id);
    const idType = full ? sobjectOfId(full) : undefined;
    if (!full || !idType || (type && idType !== type))
      return { errors: [{ statusCode: 'MALFORMED_ID', message: `${type ?? 'Record'} ID: id value of incorrect type: ${id}`, fields: ['Id'] }] };
    const record = this.records.get(idType)!.get(full);
    if (!record) return { errors: [{ statusCode: 'INVALID_CROSS_REFERENCE_KEY', message: 'invalid cross reference id', fields: [] }] };
    if (record.values.IsDeleted) return { errors: [{ statusCode: 'ENTITY_IS_DELETED', message: 'entity is deleted', fields: [] }] };
    return { record };
  }

  private duplicateMember(type: SObjectName, values: Record<string, unknown>): SaveError[] | undefined {
    if (type !== 'CampaignMember') return undefined;
    for (const m of this.all('CampaignMember')) {
      if (m.values.IsDeleted || m.values.CampaignId !== values.CampaignId) continue;
      if ((values.ContactId && m.values.ContactId === values.ContactId) || (values.LeadId && m.values.LeadId === values.LeadId))
        return [{ statusCode: 'DUPLICATE_VALUE', message: 'Already a campaign member.', fields: [] }];
    }
    return undefined;
  }

  /**
   * Writes that stand for a marketing treatment of a market contact:
   * - a Task whose WhoId is a market Contact → channel 'sales_task' (variant = Subject)
   * - a CampaignMember whose ContactId is a market Contact → channel 'email' (variant = Campaign Name)
   */
  private reportTreatment(record: SfRecord): void {
    if (!this.onTreatment) return;
    const at = record.values.CreatedDate as number;
    const emit = (whoId: unknown, channel: SimTreatment['channel'], variant: unknown) => {
      const who = typeof whoId === 'string' ? this.get(whoId) : undefined;
      if (!who?.marketId) return;
      const account = who.values.AccountId ? this.get(who.values.AccountId as string) : undefined;
      const accountId = account?.marketId;
      if (!accountId) return;
      this.onTreatment!({ accountId, contactId: who.marketId, channel, at, sendHour: this.hourOf(at), ...(typeof variant === 'string' ? { variant } : {}) });
    };
    if (record.type === 'Task') emit(record.values.WhoId, 'sales_task', record.values.Subject);
    if (record.type === 'CampaignMember') {
      const campaign = this.get(record.values.CampaignId as string);
      emit(record.values.ContactId ?? record.values.LeadId, 'email', campaign?.values.Name);
    }
  }

  // ── record plumbing ────────────────────────────────────────────────────────────────────────
  private insert(type: SObjectName, id: string, values: Record<string, unknown>, at: number, marketId?: string): SfRecord {
    const stamp = truncateToSecond(at);
    const record: SfRecord = { type, id, values: {}, ...(marketId ? { marketId } : {}) };
    for (const def of this.object(type).fields.values()) record.values[def.name] = def.defaultValue ?? null;
    Object.assign(record.values, values, { Id: id, IsDeleted: false, CreatedDate: stamp, LastModifiedDate: stamp, SystemModstamp: stamp });
    this.derive(record);
    this.records.get(type)!.set(id, record);
    return record;
  }

  /** Fields Salesforce computes: Name on people, IsWon/IsClosed from the stage. */
  private derive(r: SfRecord): void {
    const v = r.values;
    if (r.type === 'Contact' || r.type === 'Lead') v.Name = [v.FirstName, v.LastName].filter(Boolean).join(' ');
    if (r.type === 'Opportunity') {
      v.IsClosed = v.StageName === 'Closed Won' || v.StageName === 'Closed Lost';
      v.IsWon = v.StageName === 'Closed Won';
    }
  }

  private touch(r: SfRecord, at: number): void {
    const stamp = truncateToSecond(at);
    r.values.LastModifiedDate = stamp;
    r.values.SystemModstamp = Math.max(stamp, r.values.SystemModstamp as number);
  }

  private markDeleted(r: SfRecord, at: number): void {
    r.values.IsDeleted = true;
    r.deletedAt = truncateToSecond(at);
    r.values.SystemModstamp = r.deletedAt;
  }

  // ── market feed ────────────────────────────────────────────────────────────────────────────
  apply(event: MarketEvent): void {
    switch (event.kind) {
      case 'account':
        this.upsertFromMarket('Account', event.account.id, accountValues(event.account), event.account.createdAt, event.account.updatedAt);
        return;
      case 'contact': {
        const c = event.contact;
        this.upsertFromMarket('Contact', c.id, contactValues(c, this.idOf(c.accountId) ?? null), c.createdAt, c.updatedAt);
        return;
      }
      case 'opportunity': {
        const o = event.opportunity;
        const values = opportunityValues(o, this.idOf(o.accountId) ?? null, (o.contactId && this.idOf(o.contactId)) || null);
        this.upsertFromMarket('Opportunity', o.id, values, o.createdAt, o.updatedAt);
        return;
      }
      case 'deleted': {
        const r = this.get(this.idOf(event.id) ?? '');
        if (r && !r.values.IsDeleted) this.markDeleted(r, event.at);
        return;
      }
      case 'contact_merged':
        this.mergeContacts(event.loserId, event.winnerId, event.at);
        return;
      default:
        return; // signals, ad campaigns, ad days and clicks are not CRM data
    }
  }

  private upsertFromMarket(type: SObjectName, marketId: string, values: Record<string, unknown>, createdAt: number, updatedAt: number): void {
    const existing = this.get(this.idOf(marketId) ?? '');
    if (existing) {
      Object.assign(existing.values, values);
      this.derive(existing);
      if (existing.values.IsDeleted) {
        existing.values.IsDeleted = false; // undeleted from the recycle bin
        delete existing.deletedAt;
      }
      this.touch(existing, updatedAt);
      return;
    }
    let n = marketNumber(marketId);
    while (this.get(makeId(KEY_PREFIXES[type], '0', n))) n++; // only hashed ids can collide
    const record = this.insert(type, makeId(KEY_PREFIXES[type], '0', n), values, createdAt, marketId);
    this.touch(record, updatedAt);
    this.byMarketId.set(marketId, record.id);
  }

  /** Salesforce merge: the loser is deleted with MasterRecordId set, its children move to the winner. */
  private mergeContacts(loserMarketId: string, winnerMarketId: string, at: number): void {
    const loser = this.get(this.idOf(loserMarketId) ?? '');
    const winner = this.get(this.idOf(winnerMarketId) ?? '');
    if (!loser || !winner || loser.values.IsDeleted) return;
    const reparent = (type: SObjectName, field: string) => {
      for (const r of this.all(type))
        if (r.values[field] === loser.id) {
          r.values[field] = winner.id;
          this.touch(r, at);
        }
    };
    reparent('Task', 'WhoId');
    reparent('CampaignMember', 'ContactId');
    reparent('Opportunity', 'ContactId');
    loser.values.MasterRecordId = winner.id;
    this.markDeleted(loser, at);
    this.touch(winner, at);
    this.byMarketId.set(loserMarketId, winner.id);
  }
}
