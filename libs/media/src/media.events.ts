/** Events of the media library, added to the platform's typed event map. */
declare module '@app/common' {
  interface DomainEventMap {
    /**
     * A photo was attached. `count` is how many the subject has now, so the subject's owner
     * (e.g. reports, for photo_count) can keep a denormalised count without asking back.
     */
    'media.attachment_added': {
      attachmentId: string;
      subjectType: string;
      subjectId: string;
      municipalityId: string;
      uploaderId: string | null;
      /** How many of its kind the subject has now. */
      count: number;
      /** Absent for a photo (events written before documents existed). */
      kind?: 'image' | 'document';
    };
    /** Photos followed a merged subject to its target; `count` is the target's total now. */
    'media.attachments_moved': {
      attachmentIds: string[];
      fromType: string;
      fromId: string;
      toType: string;
      toId: string;
      count: number;
    };
    /** A subject's photos were removed (rows and files). */
    'media.attachments_deleted': {
      attachmentIds: string[];
      subjectType: string;
      subjectId: string;
    };
  }
}

export {};
