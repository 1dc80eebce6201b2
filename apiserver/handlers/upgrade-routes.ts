/**
 * Where the server's HTTP upgrades (which fastify does not route) go once the guard has let them
 * through: an ordered list of handlers, each claiming the requests of its own paths — pod
 * exec/attach/portforward, and (registered by the aggregation plugin) the group versions of
 * aggregated API servers. Plugins add theirs at start-up, before the server listens.
 */
import type { UserInfo } from '../../pkg/auth/user.ts';
import type { UpgradeExchange } from './upgrade-exchange.ts';

/**
 * Serves one authorized upgrade when its path is the handler's: resolves true once it has
 * answered (or handed the socket to a backend), false, without touching the socket, otherwise.
 * `user` is whom the request acts as (the unsecured user when the server does not authenticate).
 */
export type UpgradeHandler = (exchange: UpgradeExchange, head: Buffer, user: UserInfo) => Promise<boolean>;

/** The server's upgrade handlers, asked in the order they were added. */
export class UpgradeRoutes {
  private readonly handlers: UpgradeHandler[] = [];

  /** Adds a handler after the ones already there; the paths handlers claim do not overlap. */
  add(handler: UpgradeHandler): void {
    this.handlers.push(handler);
  }

  /** Hands the upgrade to the first handler that claims it; false when none does (the caller answers 404). */
  async serve(exchange: UpgradeExchange, head: Buffer, user: UserInfo): Promise<boolean> {
    for (const handler of this.handlers) if (await handler(exchange, head, user)) return true;
    return false;
  }
}
