// The standard tasks of the default workflow: what each capability step receives and returns.
// Model plugins implement these shapes; the workflow engine builds the inputs from the unified
// model and records the outputs in decisions.
import { z } from 'zod';

export const signalKinds = ['page_view', 'pricing_visit', 'demo_visit', 'content_download', 'email_open', 'email_click', 'ad_impression', 'ad_click', 'form_fill'] as const;
export type SignalKind = (typeof signalKinds)[number];
export const channels = ['email', 'linkedin', 'google', 'sales_task'] as const;
export type Channel = (typeof channels)[number];

export interface ContactBrief {
  id: string;
  email: string | null;
  persona: string | null;
  title: string | null;
  /** the declared custom fields of the person (customFields.contact), typed */
  custom?: Record<string, string | number | boolean | null>;
}

/** What every model sees of an account: features built by core from the unified model. */
export interface AccountFeatures {
  accountId: string;
  industry: string | null;
  size: string | null;
  region: string | null;
  /** signal counts per kind over the feature window (default 14 days) */
  counts: Record<SignalKind, number>;
  /** the declared custom fields of the account (customFields.account), typed */
  custom?: Record<string, string | number | boolean | null>;
  /** counts of the registered kinds beyond the built-ins, per category (web, content, event, email, ad, sales) */
  categoryCounts?: Record<'web' | 'content' | 'event' | 'email' | 'ad' | 'sales', number>;
  /** counts of every kind beyond the built-ins, registered or not */
  otherCounts?: Record<string, number>;
  /** signal counts per content topic over the window */
  topics: Record<string, number>;
  /** days since the last signal (Infinity when none) */
  daysSinceLastSignal: number;
  hasOpenOpportunity: boolean;
  /** total amount (currency units) of the account's open opportunities; 0 or absent when none */
  openPipeline?: number;
  /** decisions already executed for the account in the window, per channel */
  recentTreatments: Record<Channel, number>;
  /** days since the newest of those executions (Infinity or absent when none) */
  daysSinceLastTreatment?: number;
  contacts: ContactBrief[];
  /** the time the features were built (ctx.clock) */
  at: number;
}

// classify / intent
export interface IntentInput { features: AccountFeatures }
export interface IntentOutput { label: 'high' | 'low'; score: number }

// predict / content: which topic (and variant) to talk about next
export interface ContentInput { features: AccountFeatures; intent: IntentOutput }
export interface ContentOutput { topic: string; variant: string }

// generate / message: a persona-specific message
export interface MessageInput { features: AccountFeatures; contact: ContactBrief; topic: string; variant: string; attempt: number; feedback?: string[] }
export interface MessageOutput { subject: string; body: string; offer: boolean }

// evaluate / brand: brand-compliance check
export interface BrandInput { features: AccountFeatures; message: MessageOutput }
export interface BrandOutput { pass: boolean; reasons: string[] }

// predict / channel-time: where and when
export interface ChannelInput { features: AccountFeatures; contact: ContactBrief; topic: string }
export interface ChannelOutput {
  channel: Channel;
  sendHour: number;
  expectedReward: number;
  /** what the model's sampling policy gave this choice in this context (optional: off-policy evaluation reads it) */
  propensity?: ChoicePropensity;
}

/** Probabilities, in the decision's context, that the model's policy picks the channel, the hour, and both. */
export interface ChoicePropensity {
  channel: number;
  hour: number;
  joint: number;
  /** every channel's probability (the ones the model could choose) */
  channels?: Partial<Record<Channel, number>>;
}

/** One learning example: what was decided, and what came of it. */
export interface FeedbackExample {
  decisionId: string;
  accountId: string;
  features: AccountFeatures;
  /** the step outputs of the decision (intent, content, channel…) */
  outputs: Record<string, unknown>;
  /** 1 when the outcome followed within the attribution window, else 0 */
  reward: number;
  /** the value attributed (micros), when any */
  valueMicros: number;
  /**
   * engaged / not_engaged: whether the contact answered on the decision's channel within the
   * engagement window (a click, a form fill); none: no pipeline outcome within the attribution window
   */
  outcome: 'opportunity_created' | 'closed_won' | 'engaged' | 'not_engaged' | 'none';
  /**
   * engaged / not_engaged only: per other channel whose answers the store sees person by person,
   * 1 when the contact gave that channel's answer signal within the same window although the
   * treatment went elsewhere, else 0 — what that channel's "answers" look like without its
   * treatment (background clicks), for a model that learns what a treatment adds
   */
  background?: Partial<Record<Channel, number>>;
}

/**
 * One logged channel decision, replayed to evaluate other settings of the model that made it
 * (`revloop models evaluate --settings`): what the model saw, what it chose, and whether the
 * contact answered — known only from `answerKnownAt` (the end of its engagement window).
 */
export interface ReplayStep {
  features: AccountFeatures;
  /** the logged ChannelOutput (with whatever the model added to it) */
  output: ChannelOutput;
  /** 1 when the contact answered on the chosen channel within the engagement window, else 0 */
  reward: number;
  decidedAt: number;
  answerKnownAt: number;
}

/** A policy's chance of each channel at one decision (the channels it can choose). */
export type ChannelChances = Partial<Record<Channel, number>>;

/** What a model's update()/train() returns: recorded in model_versions. */
export interface ModelUpdate {
  version: string;
  metrics: Record<string, number>;
  windowStart?: number;
  windowEnd?: number;
}

export const taskNames = {
  intent: 'intent',
  content: 'content',
  message: 'message',
  brand: 'brand',
  channel: 'channel-time',
} as const;

export const channelSchema = z.enum(channels);
