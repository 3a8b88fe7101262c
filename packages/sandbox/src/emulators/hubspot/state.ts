// The emulated HubSpot portal: records, associations, properties, lists, signals, tokens and the
// webhook outbox. Implements MarketSink so that the market simulator can feed it.
import type { MarketEvent, MarketSink, SimAccount, SimContact, SimOpportunity, SimSignal, SimTreatment } from '../../market/types.js';
import { AssociationGraph, isKnownAssociation } from './associations.js';
import { HubSpotHttpError, notFound, propertyValuesError, validation } from './errors.js';
import { emailTopicOfList, type HubSpotList } from './lists.js';
import { companyProperties, contactProperties, dealProperties } from './market-mapping.js';
import { apiCreatedOffset, idBase, objectTypeIds, singular, type ObjectType } from './object-types.js';
import { PropertyCatalog } from './property-catalog.js';
import { normalizeWrite, type WriteValue } from './property-values.js';
import { RecordStore, type CrmRecord } from './record-store.js';
import { emailCampaignIdOf, insertByTime, topicUrl, webEventTypeOf, type EmailEvent, type WebEvent } from './signals.js';
import { WebhookOutbox, type WebhookConfig } from './webhooks.js';

export interface HubSpotStateOptions {
  now: () => number;
  portalId: number;
  tokens: string[];
  onTreatment?: (t: SimTreatment) => void;
  webhook?: WebhookConfig;
  /** pre-create revloop's custom contact properties (revloop_next_action …); default true */
  revloopProperties?: boolean;
}

export interface AssociationInput {
  toType: ObjectType;
  toId: string;
}

const marketPrefix: Record<string, ObjectType> = { acc: 'companies', con: 'contacts', opp: 'deals' };

export class HubSpotState implements MarketSink {
  readonly now: () => number;
  readonly portalId: number;
  readonly catalog: PropertyCatalog;
  readonly associations = new AssociationGraph();
  readonly stores: Record<ObjectType, RecordStore> = {
    contacts: new RecordStore(['email']),
    companies: new RecordStore(),
    deals: new RecordStore(),
    tasks: new RecordStore(),
  };
  readonly lists = new Map<string, HubSpotList>();
  readonly emailEvents: EmailEvent[] = [];
  readonly webEvents: WebEvent[] = [];
  /** the web events of each record (`CONTACT:123`), in time order: the events API answers per record */
  readonly webEventsByObject = new Map<string, WebEvent[]>();
  /** email campaign id -> topic (the campaign's name) */
  readonly emailCampaigns = new Map<number, string>();
  readonly outbox?: WebhookOutbox;
  /** access token -> issue time (simulated ms) */
  readonly tokens = new Map<string, number>();
  private readonly onTreatment?: (t: SimTreatment) => void;
  private readonly hubIdByMarket = new Map<string, string>();
  private readonly marketIdByHub = new Map<string, string>();
  private readonly nextApiId: Record<ObjectType, number> = {
    contacts: idBase.contacts + apiCreatedOffset,
    companies: idBase.companies + apiCreatedOffset,
    deals: idBase.deals + apiCreatedOffset,
    tasks: idBase.tasks + apiCreatedOffset,
  };
  private nextListId = 1;
  private nextEventSeq = 1;

  constructor(options: HubSpotStateOptions) {
    this.now = options.now;
    this.portalId = options.portalId;
    this.onTreatment = options.onTreatment;
    this.catalog = new PropertyCatalog(this.now(), options.revloopProperties ?? true);
    if (options.webhook) this.outbox = new WebhookOutbox(options.webhook, this.now);
    for (const t of options.tokens) this.tokens.set(t, this.now());
  }

  /** Issues (or re-issues) an access token at the current simulated time. */
  issueToken(token: string): string {
    this.tokens.set(token, this.now());
    return token;
  }

  // ---- id mapping -------------------------------------------------------------------------

  hubspotIdOf(marketId: string): string | undefined {
    return this.hubIdByMarket.get(marketId);
  }

  marketIdOf(hubspotId: string): string | undefined {
    return this.marketIdByHub.get(hubspotId);
  }

  /** acc_000042 -> 200000042; ids without a numeric suffix (or colliding) take the next free one. */
  private mapMarketId(marketId: string, type: ObjectType): string {
    const known = this.hubIdByMarket.get(marketId);
    if (known) return known;
    const digits = /(\d+)$/.exec(marketId)?.[1];
    let n = idBase[type] + (digits ? Number(digits) % apiCreatedOffset : 1);
    while (this.stores[type].get(String(n)) || this.marketIdByHub.has(String(n))) n++;
    const id = String(n);
    this.hubIdByMarket.set(marketId, id);
    this.marketIdByHub.set(id, marketId);
    return id;
  }

  // ---- market feed ------------------------------------------------------------------------

  apply(event: MarketEvent): void {
    switch (event.kind) {
      case 'account':
        return this.applyAccount(event.account);
      case 'contact':
        return this.applyContact(event.contact);
      case 'opportunity':
        return this.applyOpportunity(event.opportunity);
      case 'contact_merged': {
        const winner = this.hubIdByMarket.get(event.winnerId);
        const loser = this.hubIdByMarket.get(event.loserId);
        // the market may merge a contact HubSpot already archived (deleted or merged away before):
        // nothing left to merge — a throw here would stop the market for every subscriber
        if (winner && loser && winner !== loser && this.findLive('contacts', winner) && this.findLive('contacts', loser)) this.merge(winner, loser, event.at);
        return;
      }
      case 'deleted': {
        const type: ObjectType = event.entity === 'account' ? 'companies' : event.entity === 'contact' ? 'contacts' : 'deals';
        const id = this.hubIdByMarket.get(event.id);
        if (id) this.archive(type, id, event.at);
        return;
      }
      case 'signal':
        return this.applySignal(event.signal);
      default:
        return; // ad platform events are not HubSpot's
    }
  }

  private applyAccount(a: SimAccount): void {
    this.upsertFromMarket('companies', a.id, companyProperties(a), a.createdAt, a.updatedAt);
  }

  private applyContact(c: SimContact): void {
    const companyId = this.hubIdByMarket.get(c.accountId);
    const id = this.upsertFromMarket('contacts', c.id, contactProperties(c, companyId), c.createdAt, c.updatedAt);
    if (id && companyId) this.associations.setPrimary('contacts', id, 'companies', companyId);
  }

  private applyOpportunity(o: SimOpportunity): void {
    const id = this.upsertFromMarket('deals', o.id, dealProperties(o), o.createdAt, o.updatedAt);
    if (!id) return;
    const companyId = this.hubIdByMarket.get(o.accountId);
    if (companyId) this.associations.setPrimary('deals', id, 'companies', companyId);
    const contactId = o.contactId ? this.hubIdByMarket.get(o.contactId) : undefined;
    if (contactId) this.associations.associate('deals', id, 'contacts', this.resolveId('contacts', contactId));
  }

  /** Creates or updates a record from the market; merged-away records are left alone. */
  private upsertFromMarket(type: ObjectType, marketId: string, props: Record<string, string>, createdAt: number, updatedAt: number): string | undefined {
    const id = this.mapMarketId(marketId, type);
    const store = this.stores[type];
    const existing = store.get(id);
    if (!existing) {
      const record: CrmRecord = { id, type, properties: props, createdAt, updatedAt, archived: false };
      store.insert(record);
      this.outbox?.record({ subscriptionType: `${singular[type]}.creation`, objectId: Number(id), occurredAt: createdAt });
      return id;
    }
    if (existing.mergedInto) return undefined;
    this.writeProperties(existing, props, updatedAt);
    return id;
  }

  private applySignal(s: SimSignal): void {
    const contactId = s.contactId ? this.hubIdByMarket.get(s.contactId) : undefined;
    const contact = contactId ? this.resolve('contacts', contactId) : undefined;
    const seq = this.nextEventSeq++;
    if (s.type === 'email_open' || s.type === 'email_click') {
      if (!contact?.properties.email) return; // HubSpot email events always name a recipient
      const e: EmailEvent = {
        id: `${s.id}-${seq}`,
        created: s.occurredAt,
        type: s.type === 'email_open' ? 'OPEN' : 'CLICK',
        recipient: contact.properties.email,
        emailCampaignId: emailCampaignIdOf(s.topic),
        contactId: contact.id,
        ...(s.type === 'email_click' ? { url: topicUrl(s) } : {}),
      };
      this.emailCampaigns.set(e.emailCampaignId, s.topic ?? 'general');
      insertByTime(this.emailEvents, e, (x) => x.created);
      return;
    }
    const eventType = webEventTypeOf(s.type);
    if (!eventType) return;
    const companyId = this.hubIdByMarket.get(s.accountId);
    const objectId = contact?.id ?? companyId;
    if (!objectId) return;
    this.seenOnSite(contact ? 'contacts' : 'companies', objectId, s.occurredAt);
    const event: WebEvent = {
      id: `${s.id}-${seq}`,
      objectType: contact ? 'CONTACT' : 'COMPANY',
      objectId,
      eventType,
      occurredAt: s.occurredAt,
      properties: { hs_url: topicUrl(s), ...(s.topic ? { hs_page_content_type: 'BLOG_POST', hs_page_title: s.topic } : {}) },
    };
    insertByTime(this.webEvents, event, (x) => x.occurredAt);
    const key = `${event.objectType}:${objectId}`;
    let own = this.webEventsByObject.get(key);
    if (!own) this.webEventsByObject.set(key, (own = []));
    insertByTime(own, event, (x) => x.occurredAt);
  }

  /**
   * A tracked web event updates the record's web analytics properties (hs_analytics_last_timestamp,
   * "Time last seen"), so its modification date moves: this is how a reader finds the records that
   * have new events (the events API answers per record). No webhook: nobody subscribes to analytics.
   */
  private seenOnSite(type: 'contacts' | 'companies', id: string, at: number): void {
    const record = this.stores[type].get(id);
    if (!record || record.archived) return;
    const previous = { hs_analytics_last_timestamp: record.properties.hs_analytics_last_timestamp };
    record.properties.hs_analytics_last_timestamp = new Date(at).toISOString();
    record.updatedAt = Math.max(record.updatedAt, at);
    this.stores[type].reindex(record, previous);
  }

  // ---- reads ------------------------------------------------------------------------------

  /** Follows merges: a merged-away contact id answers with its primary. */
  resolve(type: ObjectType, id: string): CrmRecord | undefined {
    let r = this.stores[type].get(id);
    for (let hops = 0; r?.mergedInto && hops < 100; hops++) r = this.stores[type].get(r.mergedInto);
    return r;
  }

  private resolveId(type: ObjectType, id: string): string {
    return this.resolve(type, id)?.id ?? id;
  }

  /** A live record found by id or by a unique property (idProperty). */
  findLive(type: ObjectType, id: string, idProperty?: string): CrmRecord | undefined {
    if (idProperty && idProperty !== 'hs_object_id') {
      const r = this.stores[type].findUnique(idProperty, id);
      return r && !r.archived ? r : undefined;
    }
    const r = this.resolve(type, id);
    return r && !r.archived ? r : undefined;
  }

  // ---- writes -----------------------------------------------------------------------------

  /** Validates a write; throws HubSpot's 400 with every invalid property. */
  validate(type: ObjectType, props: Record<string, WriteValue>): Record<string, string | null> {
    const { values, errors } = normalizeWrite(this.catalog, type, props);
    if (errors.length) throw propertyValuesError(errors);
    return values;
  }

  create(type: ObjectType, props: Record<string, WriteValue>, associations: AssociationInput[] = []): CrmRecord {
    const values = this.validate(type, props);
    this.checkUnique(type, values, undefined);
    for (const a of associations) {
      if (!isKnownAssociation(type, a.toType)) throw validation(`${singular[type]} to ${singular[a.toType]} is not a valid association type`);
      if (!this.findLive(a.toType, a.toId)) throw validation(`No ${singular[a.toType]} with ID ${a.toId} exists`);
    }
    const at = this.now();
    const id = String(this.nextApiId[type]++);
    const properties: Record<string, string> = {};
    for (const [k, v] of Object.entries(values)) if (v !== null) properties[k] = v;
    const record: CrmRecord = { id, type, properties, createdAt: at, updatedAt: at, archived: false };
    this.stores[type].insert(record);
    for (const a of associations) {
      const toId = this.resolveId(a.toType, a.toId);
      if (a.toType === 'companies' && (type === 'contacts' || type === 'deals') && this.associations.targets(type, id, 'companies').length === 0) {
        this.associations.setPrimary(type, id, 'companies', toId);
      } else this.associations.associate(type, id, a.toType, toId);
    }
    this.outbox?.record({ subscriptionType: `${singular[type]}.creation`, objectId: Number(id), occurredAt: at });
    this.treatmentsForWrite(record, values);
    return record;
  }

  update(type: ObjectType, id: string, props: Record<string, WriteValue>, idProperty?: string): CrmRecord {
    const record = this.findLive(type, id, idProperty);
    if (!record) throw notFound();
    const values = this.validate(type, props);
    this.checkUnique(type, values, record.id);
    this.writeProperties(record, values, this.now());
    this.treatmentsForWrite(record, values);
    return record;
  }

  archive(type: ObjectType, id: string, at = this.now()): boolean {
    const record = this.stores[type].get(id);
    if (!record || record.archived) return false;
    record.archived = true;
    record.archivedAt = at;
    record.updatedAt = at;
    this.stores[type].unindex(record);
    this.outbox?.record({ subscriptionType: `${singular[type]}.deletion`, objectId: Number(id), occurredAt: at });
    return true;
  }

  /** Contact merge: the loser is archived and resolves to the primary from now on. */
  merge(primaryId: string, loserId: string, at = this.now()): CrmRecord {
    const winner = this.findLive('contacts', primaryId);
    const loser = this.findLive('contacts', loserId);
    if (!winner || !loser) throw validation(`Object ids ${primaryId} and ${loserId} must both be existing, unarchived contacts`);
    if (winner.id === loser.id) throw validation('Cannot merge an object with itself');
    for (const [k, v] of Object.entries(loser.properties)) if (winner.properties[k] === undefined && k !== 'email') winner.properties[k] = v;
    const merged = [winner.properties.hs_merged_object_ids, loser.id, loser.properties.hs_merged_object_ids].filter(Boolean).join(';');
    winner.properties.hs_merged_object_ids = merged;
    winner.updatedAt = at;
    this.stores.contacts.unindex(loser);
    loser.archived = true;
    loser.archivedAt = at;
    loser.updatedAt = at;
    loser.mergedInto = winner.id;
    this.associations.moveAll('contacts', loser.id, winner.id);
    this.outbox?.record({ subscriptionType: 'contact.merge', objectId: Number(winner.id), occurredAt: at, primaryObjectId: Number(winner.id), mergedObjectIds: [Number(loser.id)] });
    return winner;
  }

  associate(fromType: ObjectType, fromId: string, toType: ObjectType, toId: string): void {
    const from = this.findLive(fromType, fromId);
    const to = this.findLive(toType, toId);
    if (!from || !to) throw notFound();
    if (!isKnownAssociation(fromType, toType)) throw validation(`${singular[fromType]} to ${singular[toType]} is not a valid association type`);
    const isPrimaryPair = toType === 'companies' && (fromType === 'contacts' || fromType === 'deals');
    const hasPrimary = this.associations.targets(fromType, from.id, toType).some((t) => t.primary);
    this.associations.associate(fromType, from.id, toType, to.id, isPrimaryPair && !hasPrimary);
  }

  createList(input: { name: string; objectTypeId: string; processingType: HubSpotList['processingType'] }): HubSpotList {
    for (const l of this.lists.values()) {
      if (l.name.toLowerCase() === input.name.toLowerCase()) throw new HubSpotHttpError(400, 'VALIDATION_ERROR', `A list named ${input.name} already exists.`, { subCategory: 'ListError.LIST_NAME_ALREADY_EXISTS' });
    }
    const at = this.now();
    const list: HubSpotList = { listId: String(this.nextListId++), ...input, createdAt: at, updatedAt: at, listVersion: 1, members: new Map() };
    this.lists.set(list.listId, list);
    return list;
  }

  addListMembers(listId: string, recordIds: string[]): { added: string[]; missing: string[] } {
    const list = this.lists.get(listId);
    if (!list) throw notFound(`List does not exist with ID ${listId}.`);
    const type = (Object.keys(objectTypeIds) as ObjectType[]).find((t) => objectTypeIds[t] === list.objectTypeId);
    const at = this.now();
    const added: string[] = [];
    const missing: string[] = [];
    for (const raw of recordIds) {
      const record = type ? this.findLive(type, String(raw)) : undefined;
      if (!record) {
        missing.push(String(raw));
        continue;
      }
      if (list.members.has(record.id)) continue; // already a member: ignored, as HubSpot does
      list.members.set(record.id, at);
      added.push(record.id);
      const topic = emailTopicOfList(list.name);
      if (topic !== false && type === 'contacts') this.emitEmailTreatment(record, topic ?? record.properties.revloop_topic, at);
    }
    if (added.length) {
      list.updatedAt = at;
      list.listVersion++;
    }
    return { added, missing };
  }

  // ---- internals --------------------------------------------------------------------------

  private checkUnique(type: ObjectType, values: Record<string, string | null>, selfId: string | undefined): void {
    const email = values.email;
    if (type === 'contacts' && email) {
      const other = this.stores.contacts.findUnique('email', email);
      if (other && other.id !== selfId) throw new HubSpotHttpError(409, 'CONFLICT', `Contact already exists. Existing ID: ${other.id}`);
    }
  }

  private writeProperties(record: CrmRecord, values: Record<string, string | null>, at: number): void {
    const previous: Record<string, string | undefined> = {};
    let changed = false;
    for (const [k, v] of Object.entries(values)) {
      const old = record.properties[k];
      if ((v ?? undefined) === old) continue;
      previous[k] = old;
      changed = true;
      if (v === null) delete record.properties[k];
      else record.properties[k] = v;
      this.outbox?.record({ subscriptionType: `${singular[record.type]}.propertyChange`, objectId: Number(record.id), propertyName: k, propertyValue: v ?? '', occurredAt: at });
    }
    if (!changed) return;
    record.updatedAt = at;
    this.stores[record.type].reindex(record, previous);
  }

  /** See README "Treatments": which writes become SimTreatments. */
  private treatmentsForWrite(record: CrmRecord, written: Record<string, string | null>): void {
    if (!this.onTreatment) return;
    const at = this.now();
    if (record.type === 'contacts' && written.revloop_next_action === 'email') {
      this.emitEmailTreatment(record, record.properties.revloop_topic, at);
    }
    if (record.type === 'tasks' && record.properties.hs_task_subject) {
      const contacts = this.associations.targets('tasks', record.id, 'contacts');
      const companies = this.associations.targets('tasks', record.id, 'companies');
      const topic = record.properties.revloop_topic;
      // the rep works the task when it is due: its due time's hour (UTC, the market's clock) is the touch's hour
      const dueRaw = record.properties.hs_timestamp ?? '';
      const due = /^\d+$/.test(dueRaw) ? Number(dueRaw) : Date.parse(dueRaw);
      const when = { at, ...(topic ? { topic } : {}), ...(Number.isFinite(due) ? { sendHour: new Date(due).getUTCHours() } : {}) };
      for (const c of contacts) {
        const accountId = this.accountOfContact(c.id);
        if (accountId) this.onTreatment({ accountId, contactId: this.marketIdOf(c.id), channel: 'sales_task', ...when });
      }
      if (contacts.length === 0) {
        for (const co of companies) {
          const accountId = this.marketIdOf(co.id);
          if (accountId) this.onTreatment({ accountId, channel: 'sales_task', ...when });
        }
      }
    }
  }

  private emitEmailTreatment(contact: CrmRecord, topic: string | undefined, at: number): void {
    if (!this.onTreatment) return;
    const accountId = this.accountOfContact(contact.id);
    if (!accountId) return;
    const hour = contact.properties.revloop_send_hour;
    const sendHour = hour !== undefined && Number.isInteger(Number(hour)) ? Number(hour) : undefined;
    this.onTreatment({
      accountId,
      contactId: this.marketIdOf(contact.id),
      channel: 'email',
      at,
      ...(topic ? { topic } : {}),
      ...(contact.properties.revloop_variant ? { variant: contact.properties.revloop_variant } : {}),
      ...(sendHour !== undefined && sendHour >= 0 && sendHour <= 23 ? { sendHour } : {}),
    });
  }

  private accountOfContact(contactId: string): string | undefined {
    const companies = this.associations.targets('contacts', contactId, 'companies');
    const primary = companies.find((c) => c.primary) ?? companies[0];
    return primary ? this.marketIdOf(primary.id) : undefined;
  }
}
