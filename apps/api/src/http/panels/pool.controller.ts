import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser, resolveErrorLocale, ValidationError } from '@app/common';
import { PoolImportReportDto, PoolService, VolunteerDto, VolunteerResponseDto } from '@app/panels';

@ApiTags('panels')
@Controller('api/v1/panels/:id')
export class PoolController {
  constructor(private readonly pool: PoolService) {}

  @Post('volunteers')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Volunteer for the panel (verified residents): consent, feature values, address for the household rule, contact' })
  @ApiCreatedResponse({ type: VolunteerResponseDto })
  volunteer(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body() dto: VolunteerDto): Promise<VolunteerResponseDto> {
    return this.pool.volunteer(user, id, dto);
  }

  @Get('volunteers/me')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'My volunteer profile (also in the GDPR export)' })
  @ApiOkResponse({ type: VolunteerResponseDto })
  mine(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<VolunteerResponseDto> {
    return this.pool.mine(user, id);
  }

  @Delete('volunteers/me')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Withdraw: deletes my volunteer profile' })
  async withdraw(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<void> {
    await this.pool.withdraw(user, id);
  }

  @Post('pool/import')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiConsumes('text/csv')
  @ApiBody({ description: 'Header external_id[,household],<feature codes...>; one row per invited resident', schema: { type: 'string' } })
  @ApiOperation({ summary: 'Import invited residents from a CSV; rejected rows are reported; municipality admin' })
  @ApiOkResponse({ type: PoolImportReportDto })
  import(
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Headers('content-type') contentType: string | undefined,
    @Headers('accept-language') acceptLanguage: string | undefined,
    @Body() body: unknown,
  ): Promise<PoolImportReportDto> {
    if (!contentType?.startsWith('text/csv') || typeof body !== 'string') {
      throw new ValidationError('Send the pool as text/csv', [{ field: 'file', messages: ['expected a text/csv body'] }], 'POOL_CSV_REQUIRED');
    }
    // The rejected rows' reasons are read by people: in the language errors are answered in.
    return this.pool.importCsv(user, id, body, resolveErrorLocale(acceptLanguage, user.profile?.locale));
  }
}
