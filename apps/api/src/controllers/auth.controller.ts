import { Body, Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AuthService } from '../../../../libs/identity/src/auth.service';
import type { RequestContext } from '../../../../libs/identity/src/context';
import { Allow, AuthedRequest, Ctx, Public } from '../auth/access.decorators';
import { ChangePasswordDto, LoginDto, RefreshDto } from '../dto/identity.dto';
import { ActorAnswer, Answer, LoginAnswer, TokensAnswer } from '../dto/responses';

const ANYONE_LOGGED_IN = { roles: 'any', duringPasswordChange: true } as const;

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  /**
   * Password login (登录): a short-lived access token and a refresh token. Wrong passwords make the account's
   * next attempts from the same address wait (429 with Retry-After), growing up to LOGIN_MAX_DELAY_SECONDS.
   */
  @Answer(LoginAnswer)
  @Public()
  @Post('login')
  @HttpCode(200)
  login(@Body() dto: LoginDto, @Req() req: AuthedRequest) {
    return this.auth.login(dto.username, dto.password, { requestId: req.id ?? '-', userAgent: req.header('user-agent') ?? '', address: req.ip ?? '' });
  }

  /** New tokens for a refresh token; the old refresh token stops working. */
  @Answer(TokensAnswer)
  @Public()
  @Post('refresh')
  @HttpCode(200)
  refresh(@Body() dto: RefreshDto, @Req() req: AuthedRequest) {
    return this.auth.refresh(dto.refreshToken, req.id ?? '-');
  }

  /** Ends this session: its access and refresh tokens stop working at once. */
  @Answer(null)
  @Allow(ANYONE_LOGGED_IN)
  @Post('logout')
  @HttpCode(204)
  async logout(@Ctx() ctx: RequestContext) {
    await this.auth.logout(ctx);
  }

  @Answer(ActorAnswer)
  @Allow(ANYONE_LOGGED_IN)
  @Get('me')
  me(@Ctx() ctx: RequestContext) {
    return ctx.actor;
  }

  /** Changes one's own password; other sessions end. */
  @Answer(null)
  @Allow(ANYONE_LOGGED_IN)
  @Post('password')
  @HttpCode(204)
  async changePassword(@Ctx() ctx: RequestContext, @Body() dto: ChangePasswordDto) {
    await this.auth.changePassword(ctx, dto.currentPassword, dto.newPassword);
  }
}
