import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Put, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiGoneResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '@app/common';
import {
  GenerateResidencyCodesDto,
  MyResidenciesResponseDto,
  RedeemResidencyCodeDto,
  ResidencyCodesResponseDto,
  ResidencyResponseDto,
  ResidencyService,
  toMyResidenciesResponse,
  toResidencyCodesResponse,
  toResidencyResponse,
  VerifyResidentDto,
} from '@app/identity';
import type { FastifyReply } from 'fastify';
import { AuthRateLimit } from '../../common/auth-rate-limit';
import { UuidParam } from '../../common/uuid-param';

@ApiTags('residency')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'UNAUTHENTICATED' })
@Controller('api/v1')
export class ResidencyController {
  constructor(private readonly residency: ResidencyService) {}

  @Post('municipalities/:slug/residency-codes')
  @ApiOperation({
    summary: 'Generate one-time residency codes to mail on paper (municipality admin)',
    description: 'The codes are shown in this answer only; the platform keeps their hashes.',
  })
  @ApiParam({ name: 'slug', example: 'lille' })
  @ApiCreatedResponse({ type: ResidencyCodesResponseDto })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED (count, expiresInDays)' })
  @ApiForbiddenResponse({ description: 'FORBIDDEN: not an admin of this municipality' })
  @ApiNotFoundResponse({ description: 'MUNICIPALITY_NOT_FOUND' })
  async generateCodes(
    @CurrentUser() caller: AuthUser,
    @Param('slug') slug: string,
    @Body() dto: GenerateResidencyCodesDto,
  ): Promise<ResidencyCodesResponseDto> {
    return toResidencyCodesResponse(await this.residency.generateCodes(caller, slug, dto));
  }

  @Post('municipalities/:slug/residency')
  @AuthRateLimit()
  @ApiOperation({ summary: 'Become a verified resident by redeeming a code from a letter' })
  @ApiParam({ name: 'slug', example: 'lille' })
  @ApiCreatedResponse({ type: ResidencyResponseDto })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED, or RESIDENCY_CODE_INVALID (unknown, expired or not this municipality)' })
  @ApiNotFoundResponse({ description: 'MUNICIPALITY_NOT_FOUND' })
  @ApiConflictResponse({ description: 'ALREADY_RESIDENT (the code is not used up)' })
  @ApiGoneResponse({ description: 'RESIDENCY_CODE_USED' })
  @ApiTooManyRequestsResponse({ description: 'RATE_LIMITED' })
  async redeem(@CurrentUser() caller: AuthUser, @Param('slug') slug: string, @Body() dto: RedeemResidencyCodeDto): Promise<ResidencyResponseDto> {
    return toResidencyResponse(await this.residency.redeem(caller, slug, dto.code, { birthYear: dto.birthYear }));
  }

  @Put('municipalities/:slug/residents/:userId')
  @ApiOperation({
    summary: 'Verify a person as resident directly (municipality staff or admin)',
    description: '201 when verified now, 200 when already resident (a district or year of birth given is then recorded).',
  })
  @ApiParam({ name: 'slug', example: 'lille' })
  @ApiParam({ name: 'userId', format: 'uuid' })
  @ApiCreatedResponse({ type: ResidencyResponseDto })
  @ApiOkResponse({ type: ResidencyResponseDto })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED (userId)' })
  @ApiForbiddenResponse({ description: 'FORBIDDEN: not staff or admin of this municipality' })
  @ApiNotFoundResponse({ description: 'MUNICIPALITY_NOT_FOUND or USER_NOT_FOUND' })
  async verify(
    @CurrentUser() caller: AuthUser,
    @Param('slug') slug: string,
    @UuidParam('userId') userId: string,
    @Body() dto: VerifyResidentDto,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<ResidencyResponseDto> {
    const { residency, created } = await this.residency.verify(caller, slug, userId, dto ?? {});
    res.status(created ? HttpStatus.CREATED : HttpStatus.OK);
    return toResidencyResponse(residency);
  }

  @Delete('municipalities/:slug/residents/:userId')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: "Revoke a person's residency (municipality staff or admin)" })
  @ApiParam({ name: 'slug', example: 'lille' })
  @ApiParam({ name: 'userId', format: 'uuid' })
  @ApiNoContentResponse()
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED (userId)' })
  @ApiForbiddenResponse({ description: 'FORBIDDEN: not staff or admin of this municipality' })
  @ApiNotFoundResponse({ description: 'MUNICIPALITY_NOT_FOUND or RESIDENCY_NOT_FOUND' })
  revoke(@CurrentUser() caller: AuthUser, @Param('slug') slug: string, @UuidParam('userId') userId: string): Promise<void> {
    return this.residency.revoke(caller, slug, userId);
  }

  @Get('me/residencies')
  @ApiOperation({ summary: 'Where you are a verified resident' })
  @ApiOkResponse({ type: MyResidenciesResponseDto })
  async mine(@CurrentUser() caller: AuthUser): Promise<MyResidenciesResponseDto> {
    return toMyResidenciesResponse(await this.residency.listFor(caller.id));
  }
}
