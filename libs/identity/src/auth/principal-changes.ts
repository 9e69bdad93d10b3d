import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, AppConfig, PgChannelListener } from '@app/common';

/**
 * The channel on which PostgreSQL announces, at commit, the id of each person whose session
 * check could now answer differently: a session revoked or deleted, a membership granted,
 * changed or removed, an account erased, promoted or renamed — whichever process made the change
 * (migrations/*-AuthPrincipalChangedNotify.ts).
 */
export const AUTH_PRINCIPAL_CHANGED_CHANNEL = 'auth_principal_changed';

export interface PrincipalChangeListener {
  /** Something about this person changed (committed). */
  changed(userId: string): void;
  /** Announcements may have been lost (the connection came up or back): treat everyone as changed. */
  maybeMissed(): void;
}

/**
 * This process's one LISTEN connection on AUTH_PRINCIPAL_CHANGED_CHANNEL, shared by whoever
 * keeps something about people that must follow their roles and sessions (the session-check
 * cache, the sockets' topics). Connected when the first listener subscribes, so a process where
 * nobody does holds no connection.
 */
@Injectable()
export class PrincipalChanges implements OnModuleDestroy {
  private readonly logger = new Logger(PrincipalChanges.name);
  private readonly listeners = new Set<PrincipalChangeListener>();
  private connection: PgChannelListener | null = null;
  private destroyed = false;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** Returns the unsubscribe function. */
  subscribe(listener: PrincipalChangeListener): () => void {
    this.listeners.add(listener);
    this.connect();
    return () => this.listeners.delete(listener);
  }

  /** Whether announcements are being heard now: while not, nothing about people may be trusted from memory. */
  get listening(): boolean {
    return this.connection?.listening ?? false;
  }

  async onModuleDestroy(): Promise<void> {
    this.destroyed = true;
    this.listeners.clear();
    await this.connection?.stop();
    this.connection = null;
  }

  private connect(): void {
    if (this.connection || this.destroyed) return;
    this.connection = new PgChannelListener({
      databaseUrl: this.config.databaseUrl,
      channel: AUTH_PRINCIPAL_CHANGED_CHANNEL,
      applicationName: 'civic-principal-changes',
      onNotify: (userId) => {
        for (const listener of [...this.listeners]) {
          try {
            if (userId) listener.changed(userId);
            else listener.maybeMissed();
          } catch (error) {
            this.logger.error({ err: error }, `A listener of principal changes failed: ${(error as Error).message}`);
          }
        }
      },
      logger: this.logger,
    });
    void this.connection.start();
  }
}
