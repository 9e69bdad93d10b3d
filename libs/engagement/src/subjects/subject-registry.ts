import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DiscoveryService, Reflector } from '@nestjs/core';
import { SUBJECT_PROVIDER, SubjectInfo, SubjectProvider, SubjectProviderOptions, TransactionService } from '@app/common';
import { EntityManager } from 'typeorm';
import { SubjectNotFoundError, SubjectRegistrationError } from '../engagement.errors';

/** A subject as engagement stores it: its singular type and its id. */
export interface SubjectRef {
  type: string;
  id: string;
}

export interface RegisteredSubject extends SubjectProviderOptions {
  provider: SubjectProvider;
}

interface Candidate {
  className: string;
  options: SubjectProviderOptions;
  instance: unknown;
}

const TYPE_SHAPE = /^[a-z][a-z0-9_]{0,39}$/;
const COLLECTION_SHAPE = /^[a-z][a-z0-9-]{0,39}$/;

/**
 * Indexes the providers by type and collection, refusing what would make a URL or a stored row
 * ambiguous: two providers of one type or one collection, or names that could not be a path segment.
 */
export function buildSubjectIndex(candidates: Candidate[]): Map<string, RegisteredSubject> {
  const byType = new Map<string, RegisteredSubject & { className: string }>();
  const collections = new Map<string, string>();
  for (const { className, options, instance } of candidates) {
    const { type, collection } = options;
    if (!TYPE_SHAPE.test(type)) throw new SubjectRegistrationError(`Subject type "${type}" of ${className} must match ${TYPE_SHAPE}`);
    if (!COLLECTION_SHAPE.test(collection)) {
      throw new SubjectRegistrationError(`Subject collection "${collection}" of ${className} must match ${COLLECTION_SHAPE}`);
    }
    if (typeof (instance as SubjectProvider | undefined)?.describe !== 'function') {
      throw new SubjectRegistrationError(`Subject provider ${className} must be a singleton with a describe method`);
    }
    const existing = byType.get(type);
    if (existing) {
      // One class provided by two modules is still one provider; two classes on one type are a bug.
      if (existing.provider.constructor === (instance as object).constructor && existing.collection === collection) continue;
      throw new SubjectRegistrationError(`Subject type "${type}" is provided by both ${existing.className} and ${className}`);
    }
    const owner = collections.get(collection);
    if (owner) throw new SubjectRegistrationError(`Subject collection "${collection}" is used by both ${owner} and ${className}`);
    collections.set(collection, className);
    byType.set(type, { type, collection, provider: instance as SubjectProvider, className });
  }
  return new Map([...byType].map(([type, { className: _className, ...subject }]) => [type, subject]));
}

/**
 * The subject types other libraries plug in with @ProvidesSubject, found once at start across
 * the whole application. Everything in engagement reaches a subject through here, so an unknown
 * type or collection is one 404 (SUBJECT_NOT_FOUND) and a misconfigured app does not start.
 */
@Injectable()
export class SubjectRegistry implements OnModuleInit {
  private readonly logger = new Logger(SubjectRegistry.name);
  private index: Map<string, RegisteredSubject> | null = null;
  private collections = new Map<string, RegisteredSubject>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly reflector: Reflector,
    private readonly tx: TransactionService,
  ) {}

  onModuleInit(): void {
    this.logger.debug(`Subject types: ${this.types().join(', ') || '(none)'}`);
  }

  /** Registered types, sorted. */
  types(): string[] {
    return [...this.load().keys()].sort();
  }

  byType(type: string): RegisteredSubject {
    const found = this.load().get(type);
    if (!found) throw new SubjectNotFoundError();
    return found;
  }

  byCollection(collection: string): RegisteredSubject {
    this.load();
    const found = this.collections.get(collection);
    if (!found) throw new SubjectNotFoundError();
    return found;
  }

  /** The collection (URL segment) of a type, or null if that type is no longer registered. */
  collectionOf(type: string): string | null {
    return this.load().get(type)?.collection ?? null;
  }

  /** The provider of a type, or null when no library registers it (no error: for optional hooks). */
  providerOf(type: string): SubjectProvider | null {
    return this.load().get(type)?.provider ?? null;
  }

  /** What the owning library says about the subject, or SUBJECT_NOT_FOUND. */
  async describe(subject: SubjectRef, manager?: EntityManager): Promise<SubjectInfo> {
    const info = await this.byType(subject.type).provider.describe(subject.id, manager ?? this.tx.manager);
    if (!info) throw new SubjectNotFoundError();
    return info;
  }

  /** Like describe, but a subject hidden from the public does not exist for this purpose. */
  async describePublic(subject: SubjectRef, manager?: EntityManager): Promise<SubjectInfo> {
    const info = await this.describe(subject, manager);
    if (!info.isPublic) throw new SubjectNotFoundError();
    return info;
  }

  private load(): Map<string, RegisteredSubject> {
    if (this.index) return this.index;
    const candidates: Candidate[] = [];
    for (const wrapper of this.discovery.getProviders()) {
      const type = !wrapper.metatype || wrapper.inject ? wrapper.instance?.constructor : wrapper.metatype;
      if (typeof type !== 'function') continue;
      const options = this.reflector.get<SubjectProviderOptions | undefined>(SUBJECT_PROVIDER, type);
      if (!options) continue;
      candidates.push({ className: type.name, options, instance: wrapper.instance });
    }
    const index = buildSubjectIndex(candidates);
    this.collections = new Map([...index.values()].map((s) => [s.collection, s]));
    this.index = index;
    return index;
  }
}
