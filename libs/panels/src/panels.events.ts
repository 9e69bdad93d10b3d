/** Audit actions of the panels library (`<domain>.<verb>`). */
export const PANEL_AUDIT = {
  created: 'panel.created',
  updated: 'panel.updated',
  poolImported: 'panel.pool_imported',
  poolClosed: 'panel.pool_closed',
  drawn: 'panel.drawn',
} as const;
