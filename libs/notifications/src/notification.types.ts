/** Where a notification can reach a person. In-app is the stored notification itself. */
export const NOTIFICATION_CHANNELS = ['in_app', 'email', 'push'] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];

/** The channels that are sent by the worker, one delivery row and one job each. */
export const QUEUED_CHANNELS = ['email', 'push'] as const;
export type QueuedChannel = (typeof QUEUED_CHANNELS)[number];

export const DELIVERY_STATUSES = ['pending', 'sending', 'sent', 'failed', 'skipped'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export const EMAIL_MODES = ['immediate', 'daily_digest'] as const;
export type EmailMode = (typeof EMAIL_MODES)[number];

/** A notification type: lowercase words joined by dots or underscores (`report.status_changed`). */
export const NOTIFICATION_TYPE_SHAPE = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;
