import { SessionView } from '../sessions/session-view';
import { LocalizedText, WorkshopEntity, WorkshopFormat } from './workshop.entity';

export interface WorkshopView {
  id: string;
  municipalityId: string;
  title: LocalizedText;
  description: LocalizedText;
  topic: string;
  format: WorkshopFormat;
  onlineUrl: string | null;
  facilitatorIds: string[];
  maxNoShows: number | null;
  offerHours: number;
  sessions: SessionView[];
}

export function toWorkshopView(w: WorkshopEntity, facilitatorIds: string[], sessions: SessionView[]): WorkshopView {
  return {
    id: w.id,
    municipalityId: w.municipalityId,
    title: w.title,
    description: w.description,
    topic: w.topic,
    format: w.format,
    onlineUrl: w.onlineUrl,
    facilitatorIds,
    maxNoShows: w.maxNoShows,
    offerHours: w.offerHours,
    sessions,
  };
}
