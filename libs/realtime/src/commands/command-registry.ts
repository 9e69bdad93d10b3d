import { Injectable, SetMetadata } from '@nestjs/common';
import { DiscoveryService, Reflector } from '@nestjs/core';
import { RealtimeRegistrationError } from '../realtime.errors';
import { REALTIME_COMMANDS, REALTIME_EVENTS } from '../realtime-message';
import type { ConnectionState } from '../realtime.service';

/**
 * Client → server messages a library adds to the live channel (the workshop board's `board` and
 * `board:sync`), answered by the gateway's ack like the built-in ones, under the same
 * per-connection limits. The handler gets the connection's state (who, which topics) and the
 * body as sent; it returns the ack's fields or throws a DomainException (an error ack).
 */
export interface RealtimeCommandHandler {
  handle(command: string, connection: ConnectionState, body: unknown): Promise<object>;
}

export const REALTIME_COMMAND_HANDLER = Symbol('REALTIME_COMMAND_HANDLER');

/** Marks a provider as the handler of the named client messages. */
export const HandlesRealtimeCommands = (...commands: string[]): ClassDecorator => SetMetadata(REALTIME_COMMAND_HANDLER, commands);

const COMMAND_NAME = /^[a-z][a-z0-9]*(?:[:.-][a-z0-9]+)*$/;
/** socket.io's own events and ours: a library may not take them. */
const RESERVED = new Set<string>([
  ...Object.values(REALTIME_COMMANDS),
  ...Object.values(REALTIME_EVENTS),
  'connect',
  'connect_error',
  'disconnect',
  'disconnecting',
  'error',
  'newListener',
  'removeListener',
]);

export function buildCommandIndex(candidates: Array<{ className: string; commands: string[]; instance: unknown }>): Map<string, RealtimeCommandHandler> {
  const index = new Map<string, RealtimeCommandHandler>();
  const owners = new Map<string, string>();
  for (const { className, commands, instance } of candidates) {
    if (typeof (instance as Partial<RealtimeCommandHandler> | null)?.handle !== 'function') {
      throw new RealtimeRegistrationError(`Command handler ${className} must be a singleton with a handle(command, connection, body) method`);
    }
    for (const command of commands) {
      if (!COMMAND_NAME.test(command) || command.length > 40) throw new RealtimeRegistrationError(`Command "${command}" of ${className} is not a short lower-case name`);
      if (RESERVED.has(command)) throw new RealtimeRegistrationError(`Command "${command}" of ${className} is reserved`);
      const owner = owners.get(command);
      if (owner && owner !== className) throw new RealtimeRegistrationError(`Command "${command}" of ${className} is already handled by ${owner}`);
      owners.set(command, className);
      index.set(command, instance as RealtimeCommandHandler);
    }
  }
  return index;
}

/** Every library command, found once across all modules (providers marked @HandlesRealtimeCommands). */
@Injectable()
export class RealtimeCommandRegistry {
  private index: Map<string, RealtimeCommandHandler> | null = null;

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly reflector: Reflector,
  ) {}

  commands(): Array<[string, RealtimeCommandHandler]> {
    return [...this.load()];
  }

  private load(): Map<string, RealtimeCommandHandler> {
    if (this.index) return this.index;
    const candidates: Array<{ className: string; commands: string[]; instance: unknown }> = [];
    for (const wrapper of this.discovery.getProviders()) {
      const type = !wrapper.metatype || wrapper.inject ? wrapper.instance?.constructor : wrapper.metatype;
      if (typeof type !== 'function') continue;
      const commands = this.reflector.get<string[] | undefined>(REALTIME_COMMAND_HANDLER, type);
      if (!commands) continue;
      candidates.push({ className: type.name, commands, instance: wrapper.instance });
    }
    this.index = buildCommandIndex(candidates);
    return this.index;
  }
}
