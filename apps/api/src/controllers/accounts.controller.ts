import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AccountsService } from '../../../../libs/identity/src/accounts.service';
import { ApiKeysService } from '../../../../libs/identity/src/api-keys.service';
import type { RequestContext } from '../../../../libs/identity/src/context';
import { Allow, Ctx, OFFICE_ONLY } from '../auth/access.decorators';
import { CreateAccountDto, CreateApiKeyDto, ReasonDto } from '../dto/identity.dto';
import { PageQueryDto } from '../dto/page.dto';
import { AccountAnswer, AccountWithPasswordAnswer, Answer, ApiKeyAnswer, NewApiKeyAnswer, pageOf } from '../dto/responses';

/** Accounts of people, administered by the project office. */
@ApiTags('accounts')
@Allow(OFFICE_ONLY)
@Controller('accounts')
export class AccountsController {
  constructor(private readonly accounts: AccountsService) {}

  /** Creates a login for a person; a generated password is shown once in the answer. */
  @Answer(AccountWithPasswordAnswer)
  @Post()
  create(@Ctx() ctx: RequestContext, @Body() dto: CreateAccountDto) {
    return this.accounts.create(ctx, dto);
  }

  @Answer(pageOf(AccountAnswer))
  @Get()
  list(@Query() q: PageQueryDto) {
    return this.accounts.list(q);
  }

  @Answer(AccountAnswer)
  @Get(':id')
  get(@Param('id', ParseUUIDPipe) id: string) {
    return this.accounts.get(id);
  }

  @Answer(AccountAnswer)
  @Post(':id/disable')
  @HttpCode(200)
  disable(@Ctx() ctx: RequestContext, @Param('id', ParseUUIDPipe) id: string, @Body() dto: ReasonDto) {
    return this.accounts.setStatus(ctx, id, 'disabled', dto.reason);
  }

  /** Re-enables an account, and lifts a lock-out. */
  @Answer(AccountAnswer)
  @Post(':id/enable')
  @HttpCode(200)
  enable(@Ctx() ctx: RequestContext, @Param('id', ParseUUIDPipe) id: string, @Body() dto: ReasonDto) {
    return this.accounts.setStatus(ctx, id, 'active', dto.reason);
  }

  /** A generated temporary password (shown once); the person must change it at the next login. */
  @Answer(AccountWithPasswordAnswer)
  @Post(':id/reset-password')
  @HttpCode(200)
  reset(@Ctx() ctx: RequestContext, @Param('id', ParseUUIDPipe) id: string, @Body() dto: ReasonDto) {
    return this.accounts.resetPassword(ctx, id, dto.reason);
  }
}

/** API keys of systems, administered by the project office. */
@ApiTags('api keys')
@Allow(OFFICE_ONLY)
@Controller('api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  /** The full key is in this answer only; store it in the calling system. */
  @Answer(NewApiKeyAnswer)
  @Post()
  create(@Ctx() ctx: RequestContext, @Body() dto: CreateApiKeyDto) {
    return this.keys.create(ctx, dto);
  }

  @Answer(pageOf(ApiKeyAnswer))
  @Get()
  list(@Query() q: PageQueryDto) {
    return this.keys.list(q);
  }

  @Answer(ApiKeyAnswer)
  @Post(':id/revoke')
  @HttpCode(200)
  revoke(@Ctx() ctx: RequestContext, @Param('id', ParseUUIDPipe) id: string, @Body() dto: ReasonDto) {
    return this.keys.revoke(ctx, id, dto.reason);
  }
}
