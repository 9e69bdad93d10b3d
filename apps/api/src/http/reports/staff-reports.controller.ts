import { Body, Controller, Param, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '@app/common';
import { AssistedIntakeService, AssistedReportDto, ReportResponseDto } from '@app/reports';

/** What staff do to reports besides triage: file for someone, correct, transfer, hide. */
@ApiTags('triage')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'UNAUTHENTICATED' })
@Controller('api/v1')
export class StaffReportsController {
  constructor(private readonly intake: AssistedIntakeService) {}

  @Post('municipalities/:slug/reports/assisted')
  @ApiOperation({
    summary: 'File a report for someone who phoned, came to the counter, wrote or was helped at a third place; staff',
    description: "The person's name and contact are staff-only; notifications reach the contact's e-mail.",
  })
  @ApiCreatedResponse({ type: ReportResponseDto, description: 'The staff view' })
  @ApiBadRequestResponse({ description: 'Invalid fields, or a contact without e-mail nor phone' })
  @ApiForbiddenResponse({ description: 'Not staff of this municipality' })
  @ApiNotFoundResponse({ description: 'No such municipality' })
  @ApiUnprocessableEntityResponse({ description: 'Attributes invalid, category inactive, or location outside the municipality' })
  fileAssisted(@CurrentUser() user: AuthUser, @Param('slug') slug: string, @Body() dto: AssistedReportDto) {
    return this.intake.file(user, slug, dto);
  }
}
