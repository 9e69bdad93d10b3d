import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@app/common';
import { generateRequestDetails } from 'web-push';
import { postPush } from './push-request';
import { publicOnlyLookup } from '../push/push-endpoint';

export interface PushTarget {
  id: string;
  endpoint: string;
  p256dh: string;
  auth: string;
}

export interface PushMessage {
  id: string;
  type: string;
  title: string;
  body: string;
  url: string;
  createdAt: string;
}

export type PushOutcome = 'delivered' | 'gone' | 'rejected' | 'transient';

export interface PushAttempt {
  target: PushTarget;
  outcome: PushOutcome;
  error?: string;
}

/** Push services cap payloads at 4 KB, encrypted; keep well under. */
const MAX_BODY_CHARS = 600;

/** Sends one message to browsers through their push services (RFC 8030), VAPID-signed and encrypted by web-push. */
@Injectable()
export class PushSender implements OnApplicationBootstrap {
  private readonly logger = new Logger(PushSender.name);

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  onApplicationBootstrap(): void {
    if (!this.enabled) {
      this.logger.log('Web push is off: set VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY (npx web-push generate-vapid-keys) to turn it on');
    }
  }

  get enabled(): boolean {
    return this.config.notifications.vapid !== null;
  }

  async send(targets: PushTarget[], message: PushMessage): Promise<PushAttempt[]> {
    const vapid = this.config.notifications.vapid;
    if (!vapid) return targets.map((target) => ({ target, outcome: 'rejected' as const, error: 'web push is not configured' }));
    const payload = JSON.stringify({ ...message, body: message.body.length > MAX_BODY_CHARS ? `${message.body.slice(0, MAX_BODY_CHARS - 1)}…` : message.body });
    return Promise.all(
      targets.map(async (target): Promise<PushAttempt> => {
        try {
          // web-push encrypts and signs; we send, with a deadline over the whole exchange (web-push's
          // own client only bounds socket idleness) and, outside tests, a connection only to
          // public addresses, checked on the addresses actually dialled (SSRF, DNS rebinding).
          const request = generateRequestDetails({ endpoint: target.endpoint, keys: { p256dh: target.p256dh, auth: target.auth } }, payload, {
            vapidDetails: vapid,
            TTL: 24 * 3600,
            urgency: 'normal',
            contentEncoding: 'aes128gcm',
          });
          const headers = Object.fromEntries(Object.entries(request.headers).filter(([name]) => name.toLowerCase() !== 'content-length').map(([k, v]) => [k, String(v)]));
          const res = await postPush(request.endpoint, {
            method: request.method,
            headers,
            body: request.body ?? undefined,
            timeoutMs: this.config.notifications.sendTimeoutMs,
            lookup: this.config.notifications.allowInsecurePushEndpoints ? undefined : publicOnlyLookup(),
          });
          const ok = res.status >= 200 && res.status < 300;
          return ok ? { target, outcome: 'delivered' } : { target, ...classify(res.status, res.body) };
        } catch (error) {
          // An endpoint that now resolves into our own network is never retried.
          if ((error as { code?: string })?.code === 'EPUSHADDRESS') return { target, outcome: 'rejected', error: (error as Error).message };
          return { target, outcome: 'transient', error: (error as Error)?.message ?? String(error) };
        }
      }),
    );
  }
}

/** 404/410: the subscription is gone for good; other 4xx but 408/429: this message will never pass. */
export function classify(status: number, body: string): { outcome: PushOutcome; error: string } {
  const text = `push service answered ${status}${body ? `: ${body.slice(0, 200)}` : ''}`;
  if (status === 404 || status === 410) return { outcome: 'gone', error: text };
  if (status >= 400 && status < 500 && status !== 429 && status !== 408) return { outcome: 'rejected', error: text };
  return { outcome: 'transient', error: text };
}
