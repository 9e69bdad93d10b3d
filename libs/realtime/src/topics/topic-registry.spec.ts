import { AuthUser, NotFoundError } from '@app/common';
import { RealtimeError, RealtimeRegistrationError } from '../realtime.errors';
import { compilePattern, isWellFormedTopic, matchPattern, patternsOverlap } from './topic-pattern';
import { RealtimeActor, TopicDecision, TopicPolicy, TopicRequest } from './topic-policy';
import { buildTopicIndex, resolveTopic } from './topic-registry';
import { UserTopicPolicy } from './user-topic.policy';

const ID = '0b9f6d9e-3c1a-4c55-9f0e-2f7d7e1a2b3c';
const alice: AuthUser = { id: ID, sessionId: 'a0000000-0000-4000-8000-000000000000', isPlatformAdmin: false };

class Recording implements TopicPolicy {
  readonly seen: TopicRequest[] = [];
  constructor(private readonly decision: TopicDecision | Error = { ok: true }) {}
  async authorize(_actor: RealtimeActor, request: TopicRequest): Promise<TopicDecision> {
    this.seen.push(request);
    if (this.decision instanceof Error) throw this.decision;
    return this.decision;
  }
}
class Other extends Recording {}

describe('topic patterns', () => {
  it('matches literals and captures parameters', () => {
    const triage = compilePattern('municipality:{slug}:triage');
    expect(matchPattern(triage, 'municipality:lille:triage')).toEqual({ slug: 'lille' });
    expect(matchPattern(triage, 'municipality:lille:reports')).toBeNull();
    expect(matchPattern(triage, 'municipality:lille')).toBeNull();
    expect(matchPattern(triage, 'municipality:lille:triage:x')).toBeNull();
  });

  it('refuses malformed patterns', () => {
    expect(() => compilePattern('{family}:x')).toThrow(RealtimeRegistrationError);
    expect(() => compilePattern('report:{id}:{id}')).toThrow(RealtimeRegistrationError);
    expect(() => compilePattern('Report:{id}')).toThrow(RealtimeRegistrationError);
    expect(() => compilePattern('report::x')).toThrow(RealtimeRegistrationError);
  });

  it('knows when one topic could match two patterns', () => {
    const p = (s: string) => compilePattern(s);
    expect(patternsOverlap(p('municipality:{slug}:reports'), p('municipality:{slug}:triage'))).toBe(false);
    expect(patternsOverlap(p('report:{id}'), p('budget:{id}'))).toBe(false);
    expect(patternsOverlap(p('report:{id}'), p('report:{x}'))).toBe(true);
    expect(patternsOverlap(p('municipality:{slug}:reports'), p('municipality:lille:{what}'))).toBe(true);
    expect(patternsOverlap(p('report:{id}'), p('report:{id}:photos'))).toBe(false);
  });

  it('accepts only short, safe topic strings', () => {
    expect(isWellFormedTopic(`report:${ID}`)).toBe(true);
    expect(isWellFormedTopic('municipality:saint-andre_lez.lille:reports')).toBe(true);
    for (const bad of ['', 'report:', ':x', 'a b', 'report:*', 'x'.repeat(201), 42, null, { topic: 'x' }]) {
      expect(isWellFormedTopic(bad)).toBe(false);
    }
  });
});

describe('topic registry', () => {
  it('routes a topic to the policy of its pattern, with its parameters', async () => {
    const reports = new Recording();
    const index = buildTopicIndex([{ className: 'Reports', patterns: ['report:{id}', 'municipality:{slug}:reports'], instance: reports }]);
    const { entry, request } = resolveTopic(index, 'municipality:roubaix:reports');
    expect(entry.policy).toBe(reports);
    expect(request).toEqual({ topic: 'municipality:roubaix:reports', pattern: 'municipality:{slug}:reports', params: { slug: 'roubaix' } });
  });

  it('says TOPIC_INVALID for garbage and TOPIC_UNKNOWN for a family nobody declared', () => {
    const index = buildTopicIndex([{ className: 'Reports', patterns: ['report:{id}'], instance: new Recording() }]);
    const codeOf = (topic: unknown) => {
      try {
        resolveTopic(index, topic);
        return 'resolved';
      } catch (error) {
        return (error as RealtimeError).code;
      }
    };
    expect(codeOf('report:x y')).toBe('TOPIC_INVALID');
    expect(codeOf(undefined)).toBe('TOPIC_INVALID');
    expect(codeOf('budget:1')).toBe('TOPIC_UNKNOWN');
    expect(codeOf('report:1:2')).toBe('TOPIC_UNKNOWN');
  });

  it('refuses two libraries claiming overlapping patterns, and policies without authorize', () => {
    expect(() =>
      buildTopicIndex([
        { className: 'Reports', patterns: ['municipality:{slug}:reports'], instance: new Recording() },
        { className: 'Budgets', patterns: ['municipality:{slug}:{what}'], instance: new Other() },
      ]),
    ).toThrow(/overlaps/);
    expect(() => buildTopicIndex([{ className: 'Broken', patterns: ['x:{id}'], instance: {} }])).toThrow(/authorize/);
    expect(() => buildTopicIndex([{ className: 'Empty', patterns: [], instance: new Recording() }])).toThrow(/no pattern/);
  });

  it('tolerates one policy class registered by two modules', () => {
    const index = buildTopicIndex([
      { className: 'Reports', patterns: ['report:{id}'], instance: new Recording() },
      { className: 'Reports', patterns: ['report:{id}'], instance: new Recording() },
    ]);
    expect(index).toHaveLength(1);
  });
});

describe('user topic policy', () => {
  const policy = new UserTopicPolicy();
  const request = (id: string): TopicRequest => ({ topic: `user:${id}`, pattern: 'user:{id}', params: { id } });

  it('lets a person listen to their own topic only', async () => {
    await expect(policy.authorize(alice, request(ID))).resolves.toEqual({ ok: true });
    await expect(policy.authorize(alice, request('someone-else'))).resolves.toMatchObject({ ok: false, code: 'FORBIDDEN' });
    await expect(policy.authorize(null, request(ID))).resolves.toMatchObject({ ok: false, code: 'UNAUTHENTICATED' });
  });
});

describe('policy errors', () => {
  it('a policy may refuse by throwing a domain error', async () => {
    const policy = new Recording(new NotFoundError('REPORT_NOT_FOUND', 'Report'));
    await expect(policy.authorize(null, { topic: 'report:1', pattern: 'report:{id}', params: { id: '1' } })).rejects.toMatchObject({ code: 'REPORT_NOT_FOUND' });
  });
});
