import { Body, Controller, Get, HttpStatus, Param, Put, Query, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '@app/common';
import { ListMembersQueryDto, MembershipPageDto, MembershipResponseDto, MembershipsService, SetMemberRolesDto, toMembershipResponse } from '@app/identity';
import type { FastifyReply } from 'fastify';
import { UuidParam } from '../../common/uuid-param';

@ApiTags('municipalities')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'UNAUTHENTICATED' })
@ApiParam({ name: 'slug', example: 'lille' })
@Controller('api/v1/municipalities/:slug/members')
export class MembersController {
  constructor(private readonly memberships: MembershipsService) {}

  @Get()
  @ApiOperation({ summary: "A municipality's staff, facilitators and admins (its admins and staff)" })
  @ApiOkResponse({ type: MembershipPageDto })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED (limit, cursor)' })
  @ApiForbiddenResponse({ description: 'FORBIDDEN: not staff or admin of this municipality' })
  @ApiNotFoundResponse({ description: 'MUNICIPALITY_NOT_FOUND' })
  async list(@CurrentUser() caller: AuthUser, @Param('slug') slug: string, @Query() query: ListMembersQueryDto): Promise<MembershipPageDto> {
    const page = await this.memberships.list(caller, slug, query);
    return { items: page.items.map(toMembershipResponse), nextCursor: page.nextCursor };
  }

  @Put(':userId')
  @ApiOperation({
    summary: "Set a person's roles in a municipality (its admin or the platform admin)",
    description: 'Replaces the roles; an empty list removes the membership (204). Every change is audited.',
  })
  @ApiParam({ name: 'userId', format: 'uuid' })
  @ApiOkResponse({ type: MembershipResponseDto })
  @ApiNoContentResponse({ description: 'The roles were emptied: the person is no longer a member.' })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED (roles, department, userId)' })
  @ApiForbiddenResponse({ description: 'FORBIDDEN: not an admin of this municipality' })
  @ApiNotFoundResponse({ description: 'MUNICIPALITY_NOT_FOUND or USER_NOT_FOUND' })
  async setRoles(
    @CurrentUser() caller: AuthUser,
    @Param('slug') slug: string,
    @UuidParam('userId') userId: string,
    @Body() dto: SetMemberRolesDto,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<MembershipResponseDto | void> {
    const membership = await this.memberships.setRoles(caller, slug, userId, dto);
    if (!membership) {
      res.status(HttpStatus.NO_CONTENT);
      return;
    }
    return toMembershipResponse(membership);
  }
}
