import { Injectable, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { ProvidesSubject, SubjectInfo, SubjectProvider, TransactionService } from '@app/common';
import { SubjectNotFoundError, SubjectRegistrationError } from '../engagement.errors';
import { buildSubjectIndex, SubjectRegistry } from './subject-registry';

const provider: SubjectProvider = { describe: async () => null };

describe('buildSubjectIndex', () => {
  it('indexes providers by type', () => {
    const index = buildSubjectIndex([
      { className: 'Reports', options: { type: 'report', collection: 'reports' }, instance: provider },
      { className: 'Proposals', options: { type: 'proposal', collection: 'proposals' }, instance: provider },
    ]);
    expect([...index.keys()]).toEqual(['report', 'proposal']);
    expect(index.get('report')).toEqual({ type: 'report', collection: 'reports', provider });
  });

  it('refuses two providers of one type, naming both', () => {
    class A {
      describe = provider.describe;
    }
    class B {
      describe = provider.describe;
    }
    expect(() =>
      buildSubjectIndex([
        { className: 'A', options: { type: 'report', collection: 'reports' }, instance: new A() },
        { className: 'B', options: { type: 'report', collection: 'other-reports' }, instance: new B() },
      ]),
    ).toThrow(new SubjectRegistrationError('Subject type "report" is provided by both A and B'));
  });

  it('refuses two types on one collection', () => {
    expect(() =>
      buildSubjectIndex([
        { className: 'A', options: { type: 'report', collection: 'items' }, instance: provider },
        { className: 'B', options: { type: 'proposal', collection: 'items' }, instance: provider },
      ]),
    ).toThrow(/collection "items" is used by both A and B/);
  });

  it('keeps one class provided by two modules once', () => {
    class Same {
      describe = provider.describe;
    }
    const index = buildSubjectIndex([
      { className: 'Same', options: { type: 'report', collection: 'reports' }, instance: new Same() },
      { className: 'Same', options: { type: 'report', collection: 'reports' }, instance: new Same() },
    ]);
    expect(index.size).toBe(1);
  });

  it.each([
    ['a type that is not a plain word', { type: 'Report', collection: 'reports' }],
    ['a collection that is not a path segment', { type: 'report', collection: 'reports/x' }],
    ['an empty collection', { type: 'report', collection: '' }],
  ])('refuses %s', (_label, options) => {
    expect(() => buildSubjectIndex([{ className: 'C', options, instance: provider }])).toThrow(SubjectRegistrationError);
  });

  it('refuses a provider without describe', () => {
    expect(() => buildSubjectIndex([{ className: 'C', options: { type: 'report', collection: 'reports' }, instance: {} }])).toThrow(
      /describe/,
    );
  });
});

describe('SubjectRegistry (discovery)', () => {
  @Injectable()
  @ProvidesSubject({ type: 'thing', collection: 'things' })
  class ThingSubjects implements SubjectProvider {
    async describe(id: string): Promise<SubjectInfo | null> {
      return id === 'known' ? { municipalityId: 'm', isPublic: true, ownerId: null } : null;
    }
  }

  @Injectable()
  @ProvidesSubject({ type: 'thing', collection: 'more-things' })
  class OtherThingSubjects implements SubjectProvider {
    async describe(): Promise<SubjectInfo | null> {
      return null;
    }
  }

  @Module({ providers: [ThingSubjects] })
  class ThingsModule {}

  // The registry only reaches the database through the providers' describe(); these have none.
  const noDatabase = { provide: TransactionService, useValue: { manager: {} } };

  it('finds providers in every module and answers by type and by collection', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [DiscoveryModule, ThingsModule], providers: [SubjectRegistry, noDatabase] }).compile();
    await moduleRef.init();
    const registry = moduleRef.get(SubjectRegistry);
    expect(registry.types()).toEqual(['thing']);
    expect(registry.byCollection('things').provider).toBe(moduleRef.get(ThingSubjects));
    expect(registry.byType('thing').collection).toBe('things');
    expect(() => registry.byCollection('reports')).toThrow(SubjectNotFoundError);
    expect(() => registry.byType('report')).toThrow(SubjectNotFoundError);
    await expect(registry.describe({ type: 'thing', id: 'known' })).resolves.toEqual({ municipalityId: 'm', isPublic: true, ownerId: null });
    await expect(registry.describe({ type: 'thing', id: 'unknown' })).rejects.toThrow(SubjectNotFoundError);
    await moduleRef.close();
  });

  it('stops the application from starting when two providers claim one type', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [DiscoveryModule, ThingsModule],
      providers: [SubjectRegistry, OtherThingSubjects, noDatabase],
    }).compile();
    await expect(moduleRef.init()).rejects.toThrow(/Subject type "thing" is provided by both/);
    await moduleRef.close();
  });
});
