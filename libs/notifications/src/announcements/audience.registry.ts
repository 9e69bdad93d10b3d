import { Injectable, OnModuleInit } from '@nestjs/common';
import { DiscoveryService, Reflector } from '@nestjs/core';
import { UnknownAudienceError } from '../notifications.errors';
import { AudienceOptions, AudienceProvider, NOTIFICATION_AUDIENCE } from './audience';

export interface RegisteredAudience {
  options: AudienceOptions;
  provider: AudienceProvider;
}

/** Every @NotificationAudience provider of the app, found at start; two claiming one kind is a start-time error. */
@Injectable()
export class AudienceRegistry implements OnModuleInit {
  private byKind: Map<string, RegisteredAudience> | null = null;

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly reflector: Reflector,
  ) {}

  onModuleInit(): void {
    this.load();
  }

  require(kind: string): RegisteredAudience {
    const found = this.load().get(kind);
    if (!found) throw new UnknownAudienceError(kind, this.kinds());
    return found;
  }

  kinds(): string[] {
    return [...this.load().keys()].sort();
  }

  all(): RegisteredAudience[] {
    return this.kinds().map((kind) => this.load().get(kind)!);
  }

  private load(): Map<string, RegisteredAudience> {
    if (this.byKind) return this.byKind;
    const out = new Map<string, RegisteredAudience>();
    for (const wrapper of this.discovery.getProviders()) {
      const type = !wrapper.metatype || wrapper.inject ? wrapper.instance?.constructor : wrapper.metatype;
      if (typeof type !== 'function') continue;
      const options = this.reflector.get<AudienceOptions | undefined>(NOTIFICATION_AUDIENCE, type);
      if (!options || !wrapper.instance) continue;
      const other = out.get(options.kind);
      if (other && other.provider === wrapper.instance) continue;
      if (other) throw new Error(`Audience kind "${options.kind}" is provided twice (${type.name})`);
      out.set(options.kind, { options, provider: wrapper.instance as AudienceProvider });
    }
    this.byKind = out;
    return out;
  }
}
