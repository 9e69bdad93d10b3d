import { Foundation1763790000000 } from './1763790000000-Foundation';
import { SharedSubjects1763800000000 } from './1763800000000-SharedSubjects';
import { Reports1763800001000 } from './1763800001000-Reports';
import { OutboxHousekeeping1763809000000 } from './1763809000000-OutboxHousekeeping';
import { Open311Requests1763810311000 } from './1763810311000-Open311Requests';
import { ReportTriage1763820000000 } from './1763820000000-ReportTriage';
import { Notifications1763840000000 } from './1763840000000-Notifications';
import { OutboxNotifyTrigger1763850000000 } from './1763850000000-OutboxNotifyTrigger';
import { ReportPhotoCounts1763860000000 } from './1763860000000-ReportPhotoCounts';
import { ScrubMailTokens1763860001000 } from './1763860001000-ScrubMailTokens';
import { SessionRevokedNotify1763860002000 } from './1763860002000-SessionRevokedNotify';
import { AuthPrincipalChangedNotify1763860003000 } from './1763860003000-AuthPrincipalChangedNotify';
import { ReportsNearbyIndex1763860004000 } from './1763860004000-ReportsNearbyIndex';
import { PrivacyAndAccounts1764100000000 } from './1764100000000-PrivacyAndAccounts';
import { ReportWithdrawn1764200000000 } from './1764200000000-ReportWithdrawn';
import { CommentEdits1764200001000 } from './1764200001000-CommentEdits';
import { StaffReportTools1764400000000 } from './1764400000000-StaffReportTools';
import { ContactNotifications1764400001000 } from './1764400001000-ContactNotifications';
import { ContactNotificationsByEmail1764400002000 } from './1764400002000-ContactNotificationsByEmail';
import { DeliveryRetryWindow1764500000000 } from './1764500000000-DeliveryRetryWindow';
import { Districts1764600000000 } from './1764600000000-Districts';
import { Budgets1764600001000 } from './1764600001000-Budgets';
import { Panels1764700000000 } from './1764700000000-Panels';
import { Proposals1765000000000 } from './1765000000000-Proposals';
import { ReportDistricts1765000001000 } from './1765000001000-ReportDistricts';
import { Moderation1765010000000 } from './1765010000000-Moderation';
import { ModerationWithdrawn1765010001000 } from './1765010001000-ModerationWithdrawn';
import { Workshops1765020000000 } from './1765020000000-Workshops';
import { WorkshopBoards1765030000000 } from './1765030000000-WorkshopBoards';
import { Announcements1765040000000 } from './1765040000000-Announcements';
import { Surveys1765050000000 } from './1765050000000-Surveys';
import { PanelMembers1765060000000 } from './1765060000000-PanelMembers';
import { BudgetProjectPlaces1765080000000 } from './1765080000000-BudgetProjectPlaces';
import { ResidencyDistrictAndBirthYear1765080001000 } from './1765080001000-ResidencyDistrictAndBirthYear';
import { BudgetProjectProposals1765080002000 } from './1765080002000-BudgetProjectProposals';
import { ProposalSupportsOutliveTheirPeople1765100000000 } from './1765100000000-ProposalSupportsOutliveTheirPeople';
import { AttachmentDocuments1765100001000 } from './1765100001000-AttachmentDocuments';
import { ProposalWorkshopIdeas1765120000000 } from './1765120000000-ProposalWorkshopIdeas';
import { DeliveriesUserIndexForDigests1765130000000 } from './1765130000000-DeliveriesUserIndexForDigests';
import { MunicipalityNameSearch1765150000000 } from './1765150000000-MunicipalityNameSearch';
import { BudgetProjectWithdrawn1765210000000 } from './1765210000000-BudgetProjectWithdrawn';
import { ResidentNameSearch1765210001000 } from './1765210001000-ResidentNameSearch';
import { AnnouncementJobsCursor1765270000000 } from './1765270000000-AnnouncementJobsCursor';
import { WorkshopBoardLock1765290000000 } from './1765290000000-WorkshopBoardLock';
import { ProposalSearchDocuments1765330000000 } from './1765330000000-ProposalSearchDocuments';

/** Every migration, in order. The apps, the CLI and the tests all run this list. */
export const MIGRATIONS = [
  Foundation1763790000000,
  SharedSubjects1763800000000,
  Reports1763800001000,
  OutboxHousekeeping1763809000000,
  Open311Requests1763810311000,
  ReportTriage1763820000000,
  Notifications1763840000000,
  OutboxNotifyTrigger1763850000000,
  ReportPhotoCounts1763860000000,
  ScrubMailTokens1763860001000,
  SessionRevokedNotify1763860002000,
  AuthPrincipalChangedNotify1763860003000,
  ReportsNearbyIndex1763860004000,
  PrivacyAndAccounts1764100000000,
  ReportWithdrawn1764200000000,
  CommentEdits1764200001000,
  StaffReportTools1764400000000,
  ContactNotifications1764400001000,
  ContactNotificationsByEmail1764400002000,
  DeliveryRetryWindow1764500000000,
  Districts1764600000000,
  Budgets1764600001000,
  Panels1764700000000,
  Proposals1765000000000,
  ReportDistricts1765000001000,
  Moderation1765010000000,
  ModerationWithdrawn1765010001000,
  Workshops1765020000000,
  WorkshopBoards1765030000000,
  Announcements1765040000000,
  Surveys1765050000000,
  PanelMembers1765060000000,
  BudgetProjectPlaces1765080000000,
  ResidencyDistrictAndBirthYear1765080001000,
  BudgetProjectProposals1765080002000,
  ProposalSupportsOutliveTheirPeople1765100000000,
  AttachmentDocuments1765100001000,
  ProposalWorkshopIdeas1765120000000,
  DeliveriesUserIndexForDigests1765130000000,
  MunicipalityNameSearch1765150000000,
  BudgetProjectWithdrawn1765210000000,
  ResidentNameSearch1765210001000,
  AnnouncementJobsCursor1765270000000,
  WorkshopBoardLock1765290000000,
  ProposalSearchDocuments1765330000000,
];
