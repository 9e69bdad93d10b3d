import { CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** "Me too": a citizen supports an existing report instead of filing a duplicate. */
@Entity('report_supports')
@Index('report_supports_user_idx', ['userId'])
export class ReportSupportEntity {
  @PrimaryColumn({ type: 'uuid' })
  reportId: string;

  @PrimaryColumn({ type: 'uuid' })
  userId: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
